package io.lvs.agent.runtime.health;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the real servers of the services this node directs, each on its own schedule (first probe
 * at once, then every interval). A member starts Healthy (an agent restart must not take traffic
 * away); {@code fall} failures in a row make it Unhealthy, then {@code rise} successes in a row make
 * it Healthy again. Every transition calls {@code onChange}, so the sync loop re-applies at once:
 * a failing member reaches weight 0 within interval x fall (plus one timeout).
 */
public final class HealthChecker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

  private final ScheduledExecutorService scheduler;
  private final Probe probe;
  private final Runnable onChange;
  private final Clock clock;
  private final Map<MemberKey, Member> members = new HashMap<>();

  public HealthChecker(ScheduledExecutorService scheduler, Probe probe, Runnable onChange) {
    this(scheduler, probe, onChange, Clock.systemUTC());
  }

  /** As above, with {@code clock} for when a member's health changed (status reports it). */
  public HealthChecker(ScheduledExecutorService scheduler, Probe probe, Runnable onChange, Clock clock) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.onChange = Objects.requireNonNull(onChange, "onChange");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Probes exactly these members from now on: new ones start, gone ones stop, changed ones restart (state kept). */
  public synchronized void update(Map<MemberKey, HealthTarget> targets) {
    for (var it = members.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      HealthTarget want = targets.get(e.getKey());
      if (want == null || !want.equals(e.getValue().target)) {
        e.getValue().future.cancel(false);
        if (want == null) {
          it.remove();
        }
      }
    }
    targets.forEach((key, target) -> {
      Member m = members.get(key);
      if (m == null || !m.target.equals(target)) {
        Member next = m == null ? new Member(key, target, Health.Healthy, clock.instant(), null)
            : new Member(key, target, m.health, m.since, m.lastError);
        next.future = scheduler.scheduleWithFixedDelay(
            () -> next.probeOnce(), 0, target.interval().toMillis(), TimeUnit.MILLISECONDS);
        members.put(key, next);
      }
    });
  }

  /** The current health of every probed member. */
  public synchronized Map<MemberKey, Health> snapshot() {
    Map<MemberKey, Health> out = new HashMap<>();
    members.forEach((k, m) -> out.put(k, m.health));
    return out;
  }

  /** Every probed member's health, since when it holds, and its last failed probe's error. */
  public synchronized Map<MemberKey, MemberHealth> details() {
    Map<MemberKey, MemberHealth> out = new HashMap<>();
    members.forEach((k, m) -> out.put(k, new MemberHealth(m.health, m.since, m.lastError)));
    return out;
  }

  public synchronized Set<MemberKey> down() {
    Set<MemberKey> out = new LinkedHashSet<>();
    members.forEach((k, m) -> {
      if (m.health == Health.Unhealthy) {
        out.add(k);
      }
    });
    return out;
  }

  @Override
  public synchronized void close() {
    members.values().forEach(m -> m.future.cancel(true));
    members.clear();
  }

  private final class Member {
    final MemberKey key;
    final HealthTarget target;
    volatile Health health;
    Instant since;
    String lastError;
    int successes;
    int failures;
    ScheduledFuture<?> future;

    Member(MemberKey key, HealthTarget target, Health health, Instant since, String lastError) {
      this.key = key;
      this.target = target;
      this.health = health;
      this.since = since;
      this.lastError = lastError;
    }

    void probeOnce() {
      String failure = null;
      try {
        probe.check(target);
      } catch (Exception e) {
        failure = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      if (record(failure)) {
        LOG.atInfo().addKeyValue("member", key).addKeyValue("health", health)
            .addKeyValue("reason", failure == null ? "rise threshold reached" : failure)
            .log("real server health changed");
        onChange.run();
      }
    }

    /** True when the health changed. */
    boolean record(String failure) {
      synchronized (HealthChecker.this) {
        if (!members.containsKey(key) || members.get(key) != this) {
          return false; // replaced or removed while probing
        }
        if (failure == null) {
          failures = 0;
          successes++;
          if (health == Health.Unhealthy && successes >= target.rise()) {
            health = Health.Healthy;
            since = clock.instant();
            return true;
          }
        } else {
          successes = 0;
          failures++;
          lastError = failure;
          if (health == Health.Healthy && failures >= target.fall()) {
            health = Health.Unhealthy;
            since = clock.instant();
            return true;
          }
        }
        return false;
      }
    }
  }
}
