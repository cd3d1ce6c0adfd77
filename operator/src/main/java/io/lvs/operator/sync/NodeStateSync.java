package io.lvs.operator.sync;

import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.apply.ClusterView;
import io.lvs.operator.apply.LeaseStore;
import io.lvs.operator.apply.PlanInputs;
import io.lvs.operator.apply.ProgrammingLedger;
import io.lvs.operator.apply.ResolvedPools;
import io.lvs.operator.apply.SliceWriter;
import io.lvs.operator.plan.NodeSlicer;
import io.lvs.operator.plan.NodeSlicing;
import io.lvs.operator.plan.NodeStatePlanner;
import io.lvs.operator.plan.SliceChanges;
import io.lvs.operator.validate.SpecValidation;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The cluster-wide node-state sync: plans every node from the caches and writes only the slices
 * that differ. Created by the operator's wiring; it runs on its own thread when a plan input may
 * have changed ({@link PlanRequests}, a pool's new members), holds the first plan at start
 * ({@link StartupHold}), and hands results to status through {@link PlannedState} and an
 * {@link OutcomeListener}. A run is {@link SyncRun}.
 */
public final class NodeStateSync implements PlanRequests, AutoCloseable {
  /** How long an emptied extra slice is given before the sync looks again whether its agent confirmed it. */
  private static final Duration SURPLUS_RECHECK = Duration.ofSeconds(5);

  /** What the sync reads. */
  public record Sources(ClusterView view, ResolvedPools pools, SpecValidation validation) {}

  /** What the sync writes and tells. */
  public record Targets(SliceWriter writer, LeaseStore leases, ProgrammingLedger ledger, OutcomeListener listener) {}

  /**
   * @param retry pause before a failed run is retried
   * @param startupHold see {@link StartupHold}
   * @param parallelWrites slice and Lease writes in flight at once
   * @param sliceMaxEntries soft limit of entries per slice
   */
  public record Tuning(Duration retry, Duration startupHold, int parallelWrites, int sliceMaxEntries) {}

  private final ClusterView view;
  private final ServiceInputs inputs;
  private final PublishedPlan published;
  private final StartupHold hold;
  private final SyncRun run;
  private final CoalescingRunner loop;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(daemon("node-state-sync"));
  private final ExecutorService writers;

  public NodeStateSync(Sources sources, Targets targets, Tuning tuning, MeterRegistry meters) {
    this.view = sources.view();
    SyncMetrics metrics = new SyncMetrics(meters);
    this.writers = Executors.newFixedThreadPool(tuning.parallelWrites(), daemon("node-state-write"));
    this.inputs = new ServiceInputs(view, sources.pools(), sources.validation(), Memos.ALL.inputs(), metrics::inputBuilt);
    this.published = new PublishedPlan(targets.listener());
    this.run = assemble(sources, targets, tuning.sliceMaxEntries(), Memos.ALL, ParallelWrites.on(writers), inputs, published, metrics);
    this.hold = new StartupHold(tuning.startupHold(), System::nanoTime,
        () -> view.pools().stream().filter(p -> sources.pools().plannable(p).isEmpty()).count());
    this.loop = new CoalescingRunner(thread, () -> metrics.run.record(this::runOnce), () -> view.bound() && hold.holding(), tuning.retry());
    sources.pools().onChange(loop::request);
  }

  /**
   * One run's collaborators, with the planner, slicing and diff memos as {@code memos} says (the
   * inputs' memo is {@code inputs}' own).
   */
  static SyncRun assemble(Sources sources, Targets targets, int sliceMaxEntries, Memos memos, ParallelWrites parallel,
      ServiceInputs inputs, PublishedPlan published, SyncMetrics metrics) {
    NodeStatePlanner shared = new NodeStatePlanner();
    SyncRun.Planner planner = memos.planner() ? shared::plan : (in, nodes, leases) -> new NodeStatePlanner().plan(in, nodes, leases);
    return new SyncRun(sources.view(), inputs, planner, new LeaseWrites(targets.leases(), parallel),
        new NodeSlicing(new NodeSlicer(sliceMaxEntries), memos.slicing()), new SliceChanges(memos.sliceChanges()),
        new SliceWrites(targets.writer(), sources.view(), targets.ledger(), parallel), published, metrics,
        sources.pools()::takeChangeTimes,
        configs -> configs.stream().filter(c -> sources.validation().validate(c.getSpec()).isEmpty()).toList());
  }

  /** What the last plan decided, for status. */
  public PlannedState planned() {
    return published;
  }

  @Override
  public void virtualServiceChanged(VirtualService vs) {
    hold.cachesReady();
    if (needsPlan(vs)) {
      loop.request();
    }
  }

  /**
   * Most reconciles are the sync's own "your outcome changed" or an agent's report: they need a
   * status, not a plan of all VirtualServices. A plan is needed when what this one is planned from
   * changed (spec, pool, members, deletion) or a slice it was planned onto is gone.
   */
  boolean needsPlan(VirtualService vs) {
    String key = PlanInputs.key(vs);
    boolean sliceGone = published.outcome(key).stream().flatMap(o -> o.nodes().stream())
        .anyMatch(n -> published.sliceOf(n, key).flatMap(view::nodeState).isEmpty());
    return sliceGone || !Objects.equals(inputs.current(vs), inputs.planned(key));
  }

  @Override
  public void nodesChanged() {
    loop.request();
  }

  private void runOnce() {
    if (!view.bound()) {
      return; // not leading yet: the caches' first events after they are made request a run again
    }
    SyncRun.Result result = run.run();
    if (result.awaitingConfirmation()) {
      loop.requestAfter(SURPLUS_RECHECK);
    }
    if (result.leaseMoved()) {
      loop.request();
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    writers.shutdownNow();
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
