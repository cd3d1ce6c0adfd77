package io.lvs.agent.runtime;

import io.fabric8.kubernetes.api.model.Condition;
import io.lvs.agent.apply.Applier;
import io.lvs.agent.apply.ApplyReport;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.runtime.health.HealthChecker;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges the kernel on the latest node spec: on every spec change, every health transition, and
 * on a resync timer that repairs drift. Events are folded: however many arrive while a sync runs,
 * one more sync follows. Until a spec is known nothing is applied (an agent that cannot reach the
 * API server at start must not remove what is programmed); once known, the last spec keeps being
 * applied while the API server is away. One sync at a time, on the loop's own thread.
 */
public final class SyncLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);

  /** A spec to converge on and its metadata.generation. */
  public record Target(long generation, LvsNodeStateSpec spec) {}

  private final Applier applier;
  private final IpvsClient ipvs;
  private final NodeStateTranslator translator = new NodeStateTranslator();
  private final StatusBuilder statusBuilder = new StatusBuilder();
  private final HealthChecker health;
  private final SnatProgrammer snat;
  private final StatusSink sink;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final Duration resync;
  private final AtomicBoolean queued = new AtomicBoolean();
  private volatile Target target;
  private volatile List<Condition> lastConditions;
  private volatile Instant lastSyncEnd;
  private volatile SyncOutcome lastOutcome;
  private ScheduledFuture<?> timer;

  public SyncLoop(
      Applier applier,
      IpvsClient ipvs,
      HealthChecker health,
      SnatProgrammer snat,
      StatusSink sink,
      AgentMetrics metrics,
      Clock clock,
      ScheduledExecutorService executor,
      Duration resync) {
    this.applier = Objects.requireNonNull(applier, "applier");
    this.ipvs = Objects.requireNonNull(ipvs, "ipvs");
    this.health = Objects.requireNonNull(health, "health");
    this.snat = Objects.requireNonNull(snat, "snat");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.resync = Objects.requireNonNull(resync, "resync");
  }

  /** Starts the resync timer (first run after one period; specs trigger their own syncs). */
  public synchronized void start() {
    if (timer == null) {
      timer = executor.scheduleWithFixedDelay(this::trigger, resync.toMillis(), resync.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A new (or re-listed) spec; {@code previous} are the status conditions on the object, for transition times. */
  public void onSpec(long generation, LvsNodeStateSpec spec, List<Condition> previous) {
    if (lastConditions == null && previous != null) {
      lastConditions = previous;
    }
    target = new Target(generation, spec == null ? new LvsNodeStateSpec(null, null, null, null, null, null) : spec);
    trigger();
  }

  /**
   * The node object is gone: the operator wants nothing on this node, so everything this agent
   * owns is removed (and only that).
   */
  public void onDeleted() {
    target = new Target(0, new LvsNodeStateSpec(null, null, null, null, null, null));
    trigger();
  }

  /** Asks for a sync soon; folds with one already queued. */
  public void trigger() {
    if (queued.compareAndSet(false, true)) {
      executor.execute(() -> {
        queued.set(false);
        try {
          syncNow();
        } catch (RuntimeException e) {
          LOG.atError().setCause(e).log("sync crashed");
        }
      });
    }
  }

  /** Runs one sync on the calling thread; empty when no spec is known yet. */
  public synchronized Optional<SyncOutcome> syncNow() {
    Target t = target;
    if (t == null) {
      return Optional.empty();
    }
    long start = System.nanoTime();
    Translation translation = translator.translate(t.spec());
    health.update(translation.healthTargets());
    var healthNow = health.snapshot();
    DesiredState desired = HealthOverlay.apply(translation.desired(), health.down());
    ApplyReport report = null;
    String failure = null;
    List<ObservedService> observed = List.of();
    Map<String, List<String>> snatErrors = Map.of();
    try {
      report = applier.apply(desired);
      metrics.applied(report);
      observed = ipvs.dump();
      snatErrors = snat.apply(desired.snat());
    } catch (RuntimeException e) {
      failure = "sync: " + (e.getMessage() == null ? e.toString() : e.getMessage());
      metrics.netlinkError(report == null ? "apply" : "dump");
      LOG.atWarn().addKeyValue("generation", t.generation()).addKeyValue("error", failure).log("sync failed");
    }
    SyncOutcome outcome = new SyncOutcome(t.generation(), translation, desired, report, failure, observed, healthNow, snatErrors);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    metrics.syncDone(took, failure == null && report != null && report.fullySucceeded());
    metrics.unhealthyMembers(health.down().size());
    if (failure == null) {
      Map<ServiceKey, String> owners = new HashMap<>();
      desired.services().forEach((k, s) -> owners.put(k, s.owner()));
      metrics.observed(observed, owners);
    }
    if (report != null && !report.plan().isEmpty()) {
      LOG.atInfo().addKeyValue("generation", t.generation()).addKeyValue("operations", report.kernelOperations())
          .addKeyValue("problems", report.problems().size()).addKeyValue("conflicts", report.conflicts().size())
          .addKeyValue("tookMs", took.toMillis()).log("kernel changed");
    }
    LvsNodeStateStatus status = statusBuilder.build(outcome, lastConditions, clock.instant());
    lastConditions = status.conditions();
    lastOutcome = outcome;
    lastSyncEnd = clock.instant();
    sink.publish(status);
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
}
