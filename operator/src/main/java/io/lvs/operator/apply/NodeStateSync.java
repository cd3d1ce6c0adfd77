package io.lvs.operator.apply;

import io.fabric8.kubernetes.api.model.Node;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.diff.NodeStateChange;
import io.lvs.operator.diff.NodeStateDiff;
import io.lvs.operator.diff.OwnerChanges;
import io.lvs.operator.plan.ClusterPlan;
import io.lvs.operator.plan.NodeStatePlanner;
import io.lvs.operator.plan.NodeView;
import io.lvs.operator.plan.ServiceInput;
import io.lvs.operator.validate.SpecValidation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans every node from the caches and writes only the node objects that differ. Runs on one
 * thread; any number of requests while it runs fold into one more run (kube-proxy's bounded
 * frequency idea), so 2,000 VirtualServices reconciling at start cost a handful of plans, not
 * 2,000 write rounds. A failed write retries the whole (idempotent) run after a pause.
 */
public final class NodeStateSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStateSync.class);
  private final ClusterView view;
  private final NodeStatePlanner planner;
  private final NodeStateWriter writer;
  private final VipLeases leases;
  private final SpecValidation validation;
  private final ProgrammingLedger ledger;
  private final Consumer<Set<String>> outcomesChanged;
  private final Timer planTimer;
  private final Duration retry;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-state-sync");
        t.setDaemon(true);
        return t;
      });
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicReference<ClusterPlan> latest = new AtomicReference<>();

  public NodeStateSync(
      ClusterView view,
      NodeStatePlanner planner,
      NodeStateWriter writer,
      VipLeases leases,
      SpecValidation validation,
      ProgrammingLedger ledger,
      MeterRegistry metrics,
      Consumer<Set<String>> outcomesChanged,
      Duration retry) {
    this.view = view;
    this.planner = planner;
    this.writer = writer;
    this.leases = leases;
    this.validation = validation;
    this.ledger = ledger;
    this.outcomesChanged = outcomesChanged;
    this.planTimer = Timer.builder("lvs_operator_node_sync").description("plan + diff + writes").register(metrics);
    this.retry = retry;
  }

  /** The last plan, or null before the first run. */
  public ClusterPlan latest() {
    return latest.get();
  }

  public void requestRun() {
    dirty.set(true);
    if (scheduled.compareAndSet(false, true)) {
      executor.execute(this::loop);
    }
  }

  private void loop() {
    try {
      while (dirty.getAndSet(false)) {
        try {
          planTimer.record(this::runOnce);
        } catch (RuntimeException e) {
          LOG.warn("node state sync failed, retrying in {}: {}", retry, e.toString());
          executor.schedule(this::requestRun, retry.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } finally {
      scheduled.set(false);
      if (dirty.get() && scheduled.compareAndSet(false, true)) {
        executor.execute(this::loop);
      }
    }
  }

  void runOnce() {
    List<VirtualService> all = view.virtualServices();
    List<ServiceInput> inputs = new ArrayList<>(all.size());
    for (VirtualService vs : all) {
      String pool = vs.getSpec() == null || vs.getSpec().realServerPoolRef() == null ? null : vs.getSpec().realServerPoolRef().name();
      inputs.add(PlanInputs.of(vs, pool == null ? java.util.Optional.empty() : view.pool(vs.getMetadata().getNamespace(), pool), validation));
    }
    List<Node> nodes = view.nodes();
    List<NodeView> nodeViews = nodes.stream().map(NodeView::of).toList();
    Map<String, String> holders = leases.holders();
    ClusterPlan plan = planner.plan(inputs, nodeViews, holders);

    // Fence, step 1: a VIP nobody held yet is recorded before any node is told to hold it.
    for (Map.Entry<String, String> e : plan.vipHolders().entrySet()) {
      if (!holders.containsKey(e.getKey())) {
        leases.hold(e.getKey(), e.getValue());
      }
    }
    Map<String, LvsNodeStateSpec> existing = new HashMap<>();
    Set<String> names = new HashSet<>(view.nodeStateNames());
    names.addAll(plan.nodes().keySet());
    for (String n : names) {
      view.nodeState(n).ifPresent(s -> existing.put(n, s.getSpec()));
    }
    Set<String> nodeNames = nodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    List<NodeStateChange> changes = NodeStateDiff.diff(plan.nodes(), existing, nodeNames);
    Set<String> changed = new HashSet<>();
    for (NodeStateChange c : changes) {
      LvsNodeState before = view.nodeState(c.node()).orElse(null);
      writer.apply(c, (n, after) -> {
        view.written(before, after);
        if (after != null && after.getMetadata().getGeneration() != null) {
          Set<String> owners = OwnerChanges.between(before == null ? null : before.getSpec(), after.getSpec());
          ledger.record(n, owners, after.getMetadata().getGeneration());
          changed.addAll(owners); // their tallies changed: the agents have not seen this yet
        }
      });
    }
    // Fence, step 2: the old holder's spec no longer has the VIP (written above): move the lease,
    // and plan again so the new holder gets it.
    boolean moved = false;
    for (Map.Entry<String, String> e : plan.vipHolders().entrySet()) {
      String was = holders.get(e.getKey());
      if (was != null && !was.equals(e.getValue())) {
        LOG.info("vip handover vip={} from={} to={}", e.getKey(), was, e.getValue());
        leases.hold(e.getKey(), e.getValue());
        moved = true;
      }
    }
    for (String vip : leases.vips()) {
      if (!plan.vipHolders().containsKey(vip)) {
        leases.release(vip);
      }
    }
    ClusterPlan previous = latest.getAndSet(plan);
    Map<String, ClusterPlan.Outcome> before = previous == null ? Map.of() : previous.services();
    for (String k : plan.services().keySet()) {
      if (!Objects.equals(before.get(k), plan.services().get(k))) {
        changed.add(k);
      }
    }
    for (String k : before.keySet()) {
      if (!plan.services().containsKey(k)) {
        changed.add(k);
      }
    }
    if (!changed.isEmpty()) {
      outcomesChanged.accept(changed);
    }
    if (moved) {
      dirty.set(true);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
