package io.lvs.operator.apply;

import io.fabric8.kubernetes.api.model.Node;
import io.lvs.api.slices.NodeSlices;
import io.lvs.api.slices.SpecOwners;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.diff.NodeStateChange;
import io.lvs.operator.diff.NodeStateDiff;
import io.lvs.operator.diff.OwnerChanges;
import io.lvs.operator.plan.ClusterPlan;
import io.lvs.operator.plan.NodeSlicer;
import io.lvs.operator.plan.NodeStatePlanner;
import io.lvs.operator.plan.NodeView;
import io.lvs.operator.plan.ServiceInput;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.validate.SpecValidation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans every node from the caches and writes only the node objects that differ. Plans on one
 * thread; any number of requests while it runs fold into one more run (kube-proxy's bounded
 * frequency idea), so 2,000 VirtualServices reconciling at start cost a handful of plans, not
 * 2,000 write rounds. The writes of one run (VIP leases, then node objects) go out a few at a
 * time in parallel: the API server, not this process, is their bottleneck. A failed write retries
 * the whole (idempotent) run after a pause.
 *
 * <p>At start the first plan waits until the informers have synced and (at most {@code startupHold}
 * more) until the pool controller has
 * resolved every pool once: planning earlier writes every node object once per batch of pools
 * resolved, and a node object at 2,000 VirtualServices is a large write. Later, a VirtualService
 * whose pool exists but is not resolved yet keeps what was planned for it (or waits to be
 * planned), so no destination is dropped for a pool that is merely not read yet.
 */
public final class NodeStateSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStateSync.class);
  private static final Duration SURPLUS_RECHECK = Duration.ofSeconds(5);
  private final ClusterView view;
  private final NodeStatePlanner planner;
  private final NodeStateWriter writer;
  private final VipLeases leases;
  private final SpecValidation validation;
  private final ProgrammingLedger ledger;
  private final Consumer<Set<String>> outcomesChanged;
  private final Timer planTimer;
  private final Timer changeToWrite;
  private final Timer planWall;
  private final Timer planCpu;
  private final Counter inputsBuilt;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
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
  private final ResolvedPools resolved;
  private final Duration startupHold;
  private final ExecutorService writes;
  private final long created = System.nanoTime();
  private volatile long cachesReadyAt;
  private volatile Map<String, ServiceInput> planned = Map.of();
  private final Map<String, InputOrigin> inputs = new ConcurrentHashMap<>();
  private Map<String, Verified> verified = new HashMap<>();

  /** A planned spec and the cached node-object spec it was found equal to (identities). */
  private record Verified(LvsNodeStateSpec desired, LvsNodeStateSpec existing) {}

  /** One node's slicing and the inputs (identities) it was made from. */
  private record Sliced(List<LvsNodeStateSpec> parts, Map<String, LvsNodeStateSpec> existing, NodeSlicer.Slicing slicing) {}

  /** A slice's spec and the parts (identities) it was built from. */
  private record Built(List<LvsNodeStateSpec> parts, LvsNodeStateSpec spec) {}

  private final NodeSlicer slicer;
  private Map<String, Sliced> sliced = new HashMap<>();
  private Map<String, Built> built = new HashMap<>();
  // by identity: the owners of the slice specs the last slicing read (sync thread only)
  private Map<LvsNodeStateSpec, Set<String>> specOwners = new java.util.IdentityHashMap<>();
  private volatile Map<String, Map<String, String>> sliceOfOwner = Map.of();
  private volatile boolean warm;
  private volatile boolean cachesReady;
  private boolean holding;

  public NodeStateSync(
      ClusterView view,
      NodeStatePlanner planner,
      NodeStateWriter writer,
      VipLeases leases,
      SpecValidation validation,
      ProgrammingLedger ledger,
      ResolvedPools resolved,
      MeterRegistry metrics,
      Consumer<Set<String>> outcomesChanged,
      Duration retry,
      Duration startupHold,
      int parallelWrites,
      NodeSlicer slicer) {
    this.slicer = slicer;
    this.view = view;
    this.planner = planner;
    this.writer = writer;
    this.leases = leases;
    this.validation = validation;
    this.ledger = ledger;
    this.outcomesChanged = outcomesChanged;
    this.planTimer = Timer.builder("lvs_operator_node_sync").description("plan + diff + writes").register(metrics);
    this.changeToWrite = Timer.builder("lvs_operator_members_to_node_write")
        .description("a pool's members changed in the pool controller -> the node objects that follow written")
        .register(metrics);
    this.planWall = Timer.builder("lvs_operator_node_plan")
        .description("inputs + plan + diff of one sync run (no API calls), elapsed").register(metrics);
    this.planCpu = Timer.builder("lvs_operator_node_plan_cpu")
        .description("inputs + plan + diff of one sync run, on-CPU time of the sync thread").register(metrics);
    this.inputsBuilt = Counter.builder("lvs_operator_plan_inputs_built")
        .description("plan inputs built anew (a VirtualService, its pool or its members changed); the rest are reused")
        .register(metrics);
    this.retry = retry;
    this.resolved = resolved;
    this.startupHold = startupHold;
    this.writes = Executors.newFixedThreadPool(parallelWrites, r -> {
      Thread t = new Thread(r, "node-state-write");
      t.setDaemon(true);
      return t;
    });
  }

  /** What the last plan used for this VirtualService, or null if it was not planned. */
  public ServiceInput plannedInput(String key) {
    return planned.get(key);
  }

  /**
   * What this VirtualService would be planned from now; null while its pool exists but is not
   * resolved yet. A reconcile that finds this equal to {@link #plannedInput} needs no new plan.
   */
  public ServiceInput inputOf(VirtualService vs) {
    return inputOf(vs, false);
  }

  /**
   * @param remember keep the input for the next plan: only the sync's own runs do, with the cache's
   *     objects; a reconcile holds a copy of its VirtualService and would only evict the cached one
   */
  private ServiceInput inputOf(VirtualService vs, boolean remember) {
    String poolName = vs.getSpec() == null || vs.getSpec().realServerPoolRef() == null ? null : vs.getSpec().realServerPoolRef().name();
    Optional<RealServerPool> pool = poolName == null ? Optional.empty() : view.pool(vs.getMetadata().getNamespace(), poolName);
    if (pool.isEmpty()) {
      return cachedInput(vs, null, List.of(), remember);
    }
    return resolved.plannable(pool.get()).map(m -> cachedInput(vs, pool.get(), m, remember)).orElse(null);
  }

  /**
   * The input made from these very objects last time, else a new one: informer caches and the
   * resolved pools hand out the same objects until something changes, so a plan of 2,000
   * VirtualServices where one changed builds (and deep-compares) one input, not 2,000.
   */
  private ServiceInput cachedInput(VirtualService vs, RealServerPool pool, List<Member> members, boolean remember) {
    String key = PlanInputs.key(vs);
    InputOrigin known = inputs.get(key);
    if (known != null && sameSpec(known.vs(), vs) && sameSpec(known.pool(), pool) && known.members() == members) {
      return known.input();
    }
    ServiceInput in = PlanInputs.of(vs, Optional.ofNullable(pool), members, validation);
    if (remember) {
      inputsBuilt.increment();
      inputs.put(key, new InputOrigin(vs, pool, members, in));
    }
    return in;
  }

  /**
   * The same object, or a later copy of it with the same spec: a status write makes a new object
   * without bumping metadata.generation (the status subresource), and must not cost a new input.
   */
  private static boolean sameSpec(io.fabric8.kubernetes.api.model.HasMetadata a, io.fabric8.kubernetes.api.model.HasMetadata b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    var ma = a.getMetadata();
    var mb = b.getMetadata();
    return ma.getGeneration() != null && ma.getGeneration().equals(mb.getGeneration()) && Objects.equals(ma.getUid(), mb.getUid())
        && Objects.equals(ma.getDeletionTimestamp(), mb.getDeletionTimestamp());
  }

  /** The objects an input was made from (compared by identity, else by spec generation) and the input. */
  private record InputOrigin(VirtualService vs, RealServerPool pool, List<Member> members, ServiceInput input) {}

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
        if (holdForStart()) {
          executor.schedule(this::requestRun, 100, TimeUnit.MILLISECONDS);
          break;
        }
        try {
          planTimer.record(this::runOnce);
        } catch (RuntimeException e) {
          if (writes.isShutdown()) {
            return; // closing: the writes were cut off on purpose
          }
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

  /**
   * The controller calls this from its first reconcile: the framework reconciles only once every
   * informer has synced, so from then on an empty cache means "none", not "not read yet".
   */
  public void cachesReady() {
    if (!cachesReady) {
      cachesReadyAt = System.nanoTime();
      cachesReady = true;
      requestRun();
    }
  }

  /** True while the first plan should wait for the caches and the pool controller's first pass (bounded). */
  private boolean holdForStart() {
    if (warm) {
      return false;
    }
    // the pools' first pass is timed from the caches' readiness; the caches themselves get as long again
    long now = System.nanoTime();
    boolean expired = cachesReady ? now - cachesReadyAt > startupHold.toNanos() : now - created > 2 * startupHold.toNanos();
    long unresolved = cachesReady ? view.pools().stream().filter(p -> resolved.plannable(p).isEmpty()).count() : -1;
    if (unresolved == 0 || expired) {
      if (holding || unresolved > 0) {
        LOG.info("first plan after the pools' first resolution: {} pools still unresolved", unresolved);
      }
      warm = true;
      return false;
    }
    if (!holding) {
      if (unresolved < 0) {
        LOG.info("first plan waits for the informer caches");
      } else {
        LOG.info("first plan waits for the pool controller: {} pools not resolved yet", unresolved);
      }
      holding = true;
    }
    return true;
  }

  void runOnce() {
    long wall0 = System.nanoTime();
    long cpu0 = threads.getCurrentThreadCpuTime();
    List<Long> memberChanges = resolved.takeChangeTimes();
    List<VirtualService> all = view.virtualServices();
    List<ServiceInput> inputs = new ArrayList<>(all.size());
    Map<String, ServiceInput> previousInputs = planned;
    Map<String, ServiceInput> used = new HashMap<>();
    for (VirtualService vs : all) {
      String key = PlanInputs.key(vs);
      ServiceInput in = inputOf(vs, true);
      if (in == null) {
        in = previousInputs.get(key); // its pool is not resolved yet: keep what was planned
      }
      if (in != null) {
        inputs.add(in);
        used.put(key, in);
      }
    }
    List<Node> nodes = view.nodes();
    List<NodeView> nodeViews = nodes.stream().map(NodeView::of).toList();
    Map<String, String> holders = leases.holders();
    ClusterPlan plan = planner.plan(inputs, nodeViews, holders);
    long planWallNanos = System.nanoTime() - wall0;
    long planCpuNanos = threads.getCurrentThreadCpuTime() - cpu0;

    // Fence, step 1: a VIP nobody held yet is recorded before any node is told to hold it.
    List<Runnable> newLeases = new ArrayList<>();
    for (Map.Entry<String, String> e : plan.vipHolders().entrySet()) {
      if (!holders.containsKey(e.getKey())) {
        newLeases.add(() -> leases.create(e.getKey(), e.getValue()));
      }
    }
    inParallel(newLeases);
    long wall1 = System.nanoTime();
    long cpu1 = threads.getCurrentThreadCpuTime();
    Map<String, LvsNodeState> objects = new HashMap<>();
    for (String name : view.nodeStateNames()) {
      view.nodeState(name).ifPresent(o -> objects.put(name, o));
    }
    Set<String> nodeNames = nodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    Map<String, LvsNodeStateSpec> desired = slices(plan, objects);
    Map<String, LvsNodeStateSpec> existing = new HashMap<>();
    Set<String> deletable = new HashSet<>();
    boolean awaitingConfirmation = false;
    for (Map.Entry<String, LvsNodeState> e : objects.entrySet()) {
      String name = e.getKey();
      existing.put(name, e.getValue().getSpec());
      if (surplus(name, e.getValue(), nodeNames)) {
        deletable.add(name);
      } else if (!desired.containsKey(name) && extraSlice(name, e.getValue())) {
        awaitingConfirmation = true; // an extra slice of a live node holds nothing in the plan, not yet removable
      }
    }
    // Slices already found equal, with the same planned and cached objects since: no deep compare.
    Map<String, LvsNodeStateSpec> allDesired = desired;
    desired = new HashMap<>(desired);
    for (Map.Entry<String, Verified> v : verified.entrySet()) {
      String n = v.getKey();
      if (desired.get(n) == v.getValue().desired() && existing.get(n) == v.getValue().existing() && existing.containsKey(n)) {
        desired.remove(n);
        existing.remove(n);
      }
    }
    List<NodeStateChange> changes = new ArrayList<>(NodeStateDiff.diff(desired, existing, deletable));
    if (awaitingConfirmation) {
      // an extra slice is (being) emptied: look again once its agent may have confirmed, to remove it
      executor.schedule(this::requestRun, SURPLUS_RECHECK.toMillis(), TimeUnit.MILLISECONDS);
    }
    Set<String> writing = changes.stream().map(NodeStateChange::name).collect(Collectors.toSet());
    Map<String, Verified> nowVerified = new HashMap<>();
    Map<String, LvsNodeStateSpec> compared = desired;
    allDesired.forEach((n, spec) -> {
      if (!writing.contains(n)) {
        Verified known = verified.get(n);
        nowVerified.put(n, compared.containsKey(n) ? new Verified(spec, existing.get(n)) : known);
      }
    });
    verified = nowVerified;
    planWall.record(planWallNanos + System.nanoTime() - wall1, TimeUnit.NANOSECONDS);
    planCpu.record(planCpuNanos + threads.getCurrentThreadCpuTime() - cpu1, TimeUnit.NANOSECONDS);
    Set<String> changed = ConcurrentHashMap.newKeySet();
    List<Runnable> nodeWrites = new ArrayList<>();
    for (NodeStateChange c : changes) {
      LvsNodeState before = view.nodeState(c.name()).orElse(null);
      nodeWrites.add(() -> writer.apply(c, (n, after) -> {
        view.written(before, after);
        if (after != null && after.getMetadata().getGeneration() != null) {
          Set<String> owners = OwnerChanges.between(before == null ? null : before.getSpec(), after.getSpec());
          ledger.record(n, owners, after.getMetadata().getGeneration());
          changed.addAll(owners); // their tallies changed: the agents have not seen this yet
        }
      }));
    }
    inParallel(nodeWrites);
    if (!nodeWrites.isEmpty()) {
      long now = System.nanoTime();
      memberChanges.forEach(t -> changeToWrite.record(now - t, TimeUnit.NANOSECONDS));
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
    planned = Map.copyOf(used);
    this.inputs.keySet().retainAll(used.keySet());
    ClusterPlan previous = latest.getAndSet(plan);
    Map<String, ClusterPlan.Outcome> before = previous == null ? Map.of() : previous.services();
    for (String k : plan.services().keySet()) {
      ClusterPlan.Outcome was = before.get(k);
      ClusterPlan.Outcome is = plan.services().get(k);
      if (was != is && !Objects.equals(was, is)) { // the planner hands back the same object when unchanged
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

  /**
   * The plan's node specs cut into slices (non-empty ones only: an existing slice left with nothing
   * is emptied or removed by the diff). A node whose parts and slice objects are the same objects as
   * last time keeps last time's slicing, and a slice of the same parts keeps its spec object, so
   * unchanged nodes and slices cost neither a slicing nor a deep comparison.
   */
  private Map<String, LvsNodeStateSpec> slices(ClusterPlan plan, Map<String, LvsNodeState> objects) {
    Map<String, Map<String, LvsNodeState>> byNode = new HashMap<>();
    objects.forEach((name, o) -> byNode.computeIfAbsent(NodeSlices.nodeOf(o), k -> new HashMap<>()).put(name, o));
    Map<String, LvsNodeStateSpec> out = new HashMap<>();
    Map<String, Sliced> nowSliced = new HashMap<>();
    Map<String, Map<String, String>> owners = new HashMap<>();
    Map<String, Built> nowBuilt = new HashMap<>();
    Map<LvsNodeStateSpec, Set<String>> ownersNow = new java.util.IdentityHashMap<>();
    plan.parts().forEach((node, parts) -> {
      Map<String, LvsNodeStateSpec> mine = new HashMap<>();
      byNode.getOrDefault(node, Map.of()).forEach((name, o) -> mine.put(name, o.getSpec()));
      Sliced known = sliced.get(node);
      Sliced s;
      if (known != null && known.parts() == parts && sameObjects(known.existing(), mine)) {
        s = known;
      } else {
        Map<String, Set<String>> existingOwners = new HashMap<>();
        mine.forEach((name, sp) -> existingOwners.put(name, ownersOf(sp, ownersNow)));
        s = new Sliced(parts, mine, slicer.slice(node, parts, existingOwners, n -> objects.containsKey(n) || out.containsKey(n)));
      }
      nowSliced.put(node, s);
      owners.put(node, Map.copyOf(s.slicing().sliceOfOwner()));
      s.slicing().slices().forEach((name, sliceParts) -> {
        if (sliceParts.isEmpty()) {
          return;
        }
        // a slice made of the very same parts as last time is the very same spec: nothing to compare
        Built b = built.get(name);
        if (b == null || !NodeSlicer.sameObjects(b.parts(), sliceParts)) {
          b = new Built(sliceParts, NodeSlicer.build(node, sliceParts));
        }
        nowBuilt.put(name, b);
        out.put(name, b.spec());
      });
    });
    sliced = nowSliced;
    built = nowBuilt;
    specOwners = ownersNow;
    sliceOfOwner = Map.copyOf(owners);
    return out;
  }

  /** The owners in a slice's spec, remembered per spec object (a slice object changes only when written). */
  private Set<String> ownersOf(LvsNodeStateSpec spec, Map<LvsNodeStateSpec, Set<String>> now) {
    if (spec == null) {
      return Set.of();
    }
    Set<String> owners = specOwners.get(spec);
    if (owners == null) {
      owners = SpecOwners.of(spec);
    }
    now.put(spec, owners);
    return owners;
  }

  private static boolean sameObjects(Map<String, LvsNodeStateSpec> a, Map<String, LvsNodeStateSpec> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, LvsNodeStateSpec> e : a.entrySet()) {
      if (b.get(e.getKey()) != e.getValue() || !b.containsKey(e.getKey())) {
        return false;
      }
    }
    return true;
  }

  /**
   * May this object go once it is empty: its node is gone, or it is an extra slice (not the one
   * named after the node) whose agent has seen its current generation, i.e. has removed what it held.
   */
  private static boolean surplus(String name, LvsNodeState o, Set<String> liveNodes) {
    String node = NodeSlices.nodeOf(o);
    if (!liveNodes.contains(node)) {
      return true;
    }
    if (!extraSlice(name, o) || o.getStatus() == null || o.getStatus().observedGeneration() == null) {
      return false;
    }
    Long generation = o.getMetadata().getGeneration();
    return generation != null && o.getStatus().observedGeneration() >= generation;
  }

  /** Not the slice named after its node (which stays while the node does). */
  private static boolean extraSlice(String name, LvsNodeState o) {
    return !name.equals(NodeSlices.name(NodeSlices.nodeOf(o), 0));
  }

  /**
   * The slice that holds this owner's entries on this node, as of the last plan; empty when the
   * owner is not planned onto the node.
   */
  public Optional<String> sliceOf(String node, String owner) {
    return Optional.ofNullable(sliceOfOwner.getOrDefault(node, Map.of()).get(owner));
  }

  /** Runs the writes a few at a time; waits for all, then fails with the first failure if any. */
  private void inParallel(List<Runnable> tasks) {
    if (tasks.size() == 1) {
      tasks.get(0).run();
      return;
    }
    List<Future<?>> futures = new ArrayList<>(tasks.size());
    tasks.forEach(t -> futures.add(writes.submit(t)));
    RuntimeException first = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing node state", e);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    writes.shutdownNow();
  }
}
