package io.lvs.agent.runtime;

import io.fabric8.kubernetes.api.model.Condition;
import io.lvs.agent.apply.Applier;
import io.lvs.agent.apply.ApplyReport;
import io.lvs.agent.apply.TimeoutKeeper;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.podnet.PodNamespaces;
import io.lvs.agent.podnet.PodRealServers;
import io.lvs.agent.rtnl.RtnlClient;
import io.lvs.agent.runtime.health.HealthChecker;
import io.lvs.api.v1alpha1.PodNamespaceReport;
import io.lvs.api.v1alpha1.TimeoutsReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges the kernel on the union of this node's slices: on every change to them, every health
 * transition, and on a resync timer that repairs drift. Only the timer (and the first sync) reads
 * the whole table ({@link Applier#apply} first, {@link Applier#resync} on the timer); a change or transition between two resyncs is applied
 * incrementally ({@link Applier#applyChanges}: no kernel read, its cost follows the change), and
 * drift elsewhere waits for the next resync, within one interval. Events are folded: however many arrive
 * while a sync runs, one more sync follows. Until the slices are known nothing is applied (an agent
 * that cannot reach the API server at start must not remove what is programmed); once known, the
 * last union keeps being applied while the API server is away. One sync at a time, on the loop's
 * own thread. Each sync publishes one status per slice.
 */
public final class SyncLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);

  /** The slices to converge on (their union is applied). */
  public record Target(SliceUnion slices) {}

  private final Applier applier;
  private final TimeoutKeeper timeouts;
  private final RtnlClient rtnl;
  private final TranslationMemo translations = new TranslationMemo(new NodeStateTranslator());
  private final StatusBuilder statusBuilder;
  private final HealthChecker health;
  private final SnatProgrammer snat;
  private final MarkProgrammer marks;
  private final PodNamespaces pods;
  private final StatusSink sink;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final Duration resync;
  private final AtomicBoolean queued = new AtomicBoolean();
  /** The resync timer asked for a full read since the last one ran. */
  private final AtomicBoolean fullDue = new AtomicBoolean(true);
  /** The next full sync must dump every service (first sync, or the view may be wrong after a failure). */
  private final AtomicBoolean readAll = new AtomicBoolean(true);
  private volatile Target target;
  /** Per slice, the conditions last built (or found on the object), for transition times. */
  private final Map<String, List<Condition>> lastConditions = new ConcurrentHashMap<>();
  private volatile Instant lastSyncEnd;
  private volatile SyncOutcome lastOutcome;
  private ScheduledFuture<?> timer;

  /** Without a marking backend: fwmark owners are told their rules are not programmed. */
  public SyncLoop(Applier applier, IpvsClient ipvs, RtnlClient rtnl, HealthChecker health, SnatProgrammer snat,
      StatusSink sink, AgentMetrics metrics, Clock clock, ScheduledExecutorService executor, Duration resync) {
    this(applier, ipvs, rtnl, health, snat, MarkProgrammer.NONE, sink, metrics, clock, executor, resync);
  }

  public SyncLoop(
      Applier applier,
      IpvsClient ipvs,
      RtnlClient rtnl,
      HealthChecker health,
      SnatProgrammer snat,
      MarkProgrammer marks,
      StatusSink sink,
      AgentMetrics metrics,
      Clock clock,
      ScheduledExecutorService executor,
      Duration resync) {
    this(applier, ipvs, rtnl, health, snat, marks, PodNamespaces.NONE, sink, metrics, clock, executor, resync);
  }

  /** With pod real servers' namespaces programmed by {@code pods}. */
  public SyncLoop(
      Applier applier,
      IpvsClient ipvs,
      RtnlClient rtnl,
      HealthChecker health,
      SnatProgrammer snat,
      MarkProgrammer marks,
      PodNamespaces pods,
      StatusSink sink,
      AgentMetrics metrics,
      Clock clock,
      ScheduledExecutorService executor,
      Duration resync) {
    this(applier, ipvs, rtnl, health, snat, marks, pods, sink, metrics, clock, executor, resync, new StatusBuilder());
  }

  /** With the status built by {@code statusBuilder} (tests: a slow one). */
  SyncLoop(
      Applier applier,
      IpvsClient ipvs,
      RtnlClient rtnl,
      HealthChecker health,
      SnatProgrammer snat,
      MarkProgrammer marks,
      PodNamespaces pods,
      StatusSink sink,
      AgentMetrics metrics,
      Clock clock,
      ScheduledExecutorService executor,
      Duration resync,
      StatusBuilder statusBuilder) {
    this.statusBuilder = Objects.requireNonNull(statusBuilder, "statusBuilder");
    this.pods = Objects.requireNonNull(pods, "pods");
    this.applier = Objects.requireNonNull(applier, "applier");
    this.timeouts = new TimeoutKeeper(Objects.requireNonNull(ipvs, "ipvs"), applier); // the table is read through the applier
    this.rtnl = Objects.requireNonNull(rtnl, "rtnl");
    this.health = Objects.requireNonNull(health, "health");
    this.snat = Objects.requireNonNull(snat, "snat");
    this.marks = Objects.requireNonNull(marks, "marks");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.resync = Objects.requireNonNull(resync, "resync");
  }

  /** Starts the resync timer (first run after one period; specs trigger their own syncs). */
  public synchronized void start() {
    if (timer == null) {
      timer = executor.scheduleWithFixedDelay(this::triggerResync, resync.toMillis(), resync.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * This node's slices, all of them, as now listed (also when only one changed). An empty list
   * means the operator wants nothing on this node: everything this agent owns is removed (and only
   * that). {@code previous} are the status conditions found on the objects, by slice name, so
   * transition times survive a restart.
   */
  public void onSlices(Collection<NodeSlice> slices, Map<String, List<Condition>> previous) {
    previous.forEach((name, conditions) -> {
      if (conditions != null) {
        lastConditions.putIfAbsent(name, conditions);
      }
    });
    target = new Target(SliceUnion.of(slices));
    trigger();
  }

  /** Asks for a full sync (read of the whole table, drift repair) soon; folds with one already queued. */
  public void triggerResync() {
    fullDue.set(true);
    trigger();
  }

  /** Asks for a sync soon, incremental unless a resync is due; folds with one already queued. */
  public void trigger() {
    if (queued.compareAndSet(false, true)) {
      executor.execute(() -> {
        queued.set(false);
        try {
          sync(fullDue.getAndSet(false));
        } catch (RuntimeException e) {
          LOG.atError().setCause(e).log("sync crashed");
        }
      });
    }
  }

  /** Runs one full sync on the calling thread; empty when the slices are not known yet. */
  public Optional<SyncOutcome> syncNow() {
    return sync(true);
  }

  private synchronized Optional<SyncOutcome> sync(boolean full) {
    Target t = target;
    if (t == null) {
      fullDue.set(full || fullDue.get());
      return Optional.empty();
    }
    long start = System.nanoTime();
    SliceUnion slices = t.slices();
    // interfaceOf is resolved against this sync's own reading of the addresses (one dump, only if
    // some entry names one): which interface holds the node's InternalIP now
    Translation translation = translations.translate(slices, rtnl::addresses);
    health.update(translation.healthTargets());
    var healthNow = health.snapshot();
    var healthDetails = health.details();
    DesiredState desired = HealthOverlay.apply(translation.desired(), health.down());
    ApplyReport report = null;
    String failure = null;
    List<ObservedService> observed = List.of();
    Map<String, List<String>> snatErrors = Map.of();
    Map<String, List<PodNamespaceReport>> podReports = Map.of();
    try {
      if (!full) {
        report = applier.applyChanges(desired);
      } else if (readAll.getAndSet(false)) {
        report = applier.apply(desired);
      } else {
        report = applier.resync(desired); // the whole table checked, destinations dumped where it differs
        metrics.resyncDumps(applier.lastResyncDumps());
      }
      metrics.applied(report);
      observed = applier.observedServices();
      if (!report.fullySucceeded()) {
        fullDue.set(true); // an incremental sync would not retry what failed: the next one reads and retries
      }
      snatErrors = merge(snat.apply(desired.snat()), marks.apply(desired.marks()));
      PodRealServers podWant = PodRealServers.of(slices.spec().addresses());
      snatErrors = merge(snatErrors, podWant.errors());
      podReports = pods.apply(podWant);
    } catch (RuntimeException e) {
      failure = "sync: " + (e.getMessage() == null ? e.toString() : e.getMessage());
      metrics.netlinkError(report == null ? "apply" : "snat");
      fullDue.set(true); // the view may not match the kernel after a failure: the next sync reads it
      readAll.set(true);
      LOG.atWarn().addKeyValue("slices", slices.generations()).addKeyValue("error", failure).log("sync failed");
    }
    TimeoutsReport timeoutsReport = timeouts.apply(slices.spec().timeouts()); // its errors are its own: reported, not fatal
    SyncOutcome outcome = new SyncOutcome(slices, translation, desired, report, failure, observed, healthNow, snatErrors,
        healthDetails, podReports);
    // the status (and the metrics' view) are built under this sync's lock, so their cost is part of the
    // sync's time, logged and measured: a first sync's status at 10,000 services once took minutes after tookMs stopped
    long statusStart = System.nanoTime();
    Map<String, SliceStatus> statuses =
        TimeoutsStatus.attach(statusBuilder.statuses(outcome, lastConditions, clock.instant()), slices, timeoutsReport);
    // a deleted slice's conditions are forgotten (not those of a slice that arrived during this sync)
    lastConditions.keySet().removeIf(name -> !statuses.containsKey(name) && !target.slices().owners().containsKey(name));
    statuses.forEach((name, status) -> lastConditions.put(name, status.conditions()));
    long statusEnd = System.nanoTime();
    if (failure == null) {
      Map<ServiceKey, String> owners = new HashMap<>();
      desired.services().forEach((k, s) -> owners.put(k, s.owner()));
      metrics.observed(observed, owners);
    }
    long end = System.nanoTime();
    Duration took = Duration.ofNanos(end - start);
    long statusMs = (statusEnd - statusStart) / 1_000_000;
    metrics.syncDone(took, failure == null && report != null && report.fullySucceeded());
    metrics.unhealthyMembers(health.down().size());
    if (report != null && !report.plan().isEmpty()) {
      LOG.atInfo().addKeyValue("slices", slices.generations()).addKeyValue("operations", report.kernelOperations())
          .addKeyValue("problems", report.problems().size()).addKeyValue("conflicts", report.conflicts().size())
          .addKeyValue("statusMs", statusMs).addKeyValue("tookMs", took.toMillis()).log("kernel changed");
    } else if (full && took.compareTo(resync) > 0) {
      // drift is then repaired within this sync's duration, not within one interval: worth a line
      LOG.atWarn().addKeyValue("statusMs", statusMs).addKeyValue("tookMs", took.toMillis()).addKeyValue("resync", resync)
          .log("resync slower than its interval");
    }
    lastOutcome = outcome.withoutSuccesses(); // a first sync's whole report is not kept until the next sync
    lastSyncEnd = clock.instant();
    sink.publish(statuses);
    return Optional.of(outcome);
  }

  public Optional<Target> target() {
    return Optional.ofNullable(target);
  }

  public Optional<SyncOutcome> lastOutcome() {
    return Optional.ofNullable(lastOutcome);
  }

  public Optional<Instant> lastSyncEnd() {
    return Optional.ofNullable(lastSyncEnd);
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** SNAT and marking problems by owner, in one map: both are nftables rules of that owner. */
  private static Map<String, List<String>> merge(Map<String, List<String>> a, Map<String, List<String>> b) {
    if (b.isEmpty()) {
      return a;
    }
    Map<String, List<String>> out = new java.util.TreeMap<>();
    a.forEach((k, v) -> out.computeIfAbsent(k, x -> new java.util.ArrayList<>()).addAll(v));
    b.forEach((k, v) -> out.computeIfAbsent(k, x -> new java.util.ArrayList<>()).addAll(v));
    return out;
  }
}
