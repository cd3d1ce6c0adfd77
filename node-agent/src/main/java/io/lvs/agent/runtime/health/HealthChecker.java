package io.lvs.agent.runtime.health;

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
  private final Map<MemberKey, Member> members = new HashMap<>();

  public HealthChecker(ScheduledExecutorService scheduler, Probe probe, Runnable onChange) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.onChange = Objects.requireNonNull(onChange, "onChange");
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
        Member next = new Member(key, target, m == null ? Health.Healthy : m.health);
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
    int successes;
    int failures;
    ScheduledFuture<?> future;

    Member(MemberKey key, HealthTarget target, Health health) {
      this.key = key;
      this.target = target;
      this.health = health;
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
            return true;
          }
        } else {
          successes = 0;
          failures++;
          if (health == Health.Healthy && failures >= target.fall()) {
            health = Health.Unhealthy;
            return true;
          }
        }
        return false;
      }
    }
  }
}
