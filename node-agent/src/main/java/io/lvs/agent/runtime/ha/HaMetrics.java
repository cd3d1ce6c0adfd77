package io.lvs.agent.runtime.ha;

import io.lvs.agent.ipvs.SyncDaemon;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The HA metrics of this director: {@code lvs_ha_failovers_total{vip,reason}} (takeovers from
 * another director, by the reason recorded on the Lease), {@code lvs_ha_seconds_since_failover{vip}}
 * (since this node last took or gave up the VIP) and {@code lvs_ha_sync_daemon_state{role}} (1 while
 * the kernel runs that sync daemon).
 */
public final class HaMetrics {
  private final MeterRegistry registry;
  private final Supplier<Long> monotonicMillis;
  private final Map<String, Long> lastChange = new ConcurrentHashMap<>();
  private final Map<SyncDaemon.State, AtomicInteger> daemons = new ConcurrentHashMap<>();

  public HaMetrics(MeterRegistry registry, Supplier<Long> monotonicMillis) {
    this.registry = registry;
    this.monotonicMillis = monotonicMillis;
    for (SyncDaemon.State s : SyncDaemon.State.values()) {
      AtomicInteger v = new AtomicInteger();
      daemons.put(s, v);
      Gauge.builder("lvs.ha.sync.daemon.state", v, AtomicInteger::get)
          .description("1 while the kernel runs this IPVS sync daemon role on this node")
          .tag("role", s.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
    }
  }

  public void transition(Transition t) {
    if (lastChange.put(t.vip(), monotonicMillis.get()) == null) {
      Gauge.builder("lvs.ha.seconds.since.failover", lastChange,
              m -> m.containsKey(t.vip()) ? (monotonicMillis.get() - m.get(t.vip())) / 1000.0 : Double.NaN)
          .description("Seconds since this node last took or gave up the VIP").tag("vip", t.vip()).register(registry);
    }
    if (t.holds() && t.takeover() != null) {
      Counter.builder("lvs.ha.failovers").description("VIPs this node took over from another director, by reason")
          .tag("vip", t.vip()).tag("reason", t.takeover().reason()).register(registry).increment();
    }
  }

  public void daemons(List<SyncDaemon> running) {
    daemons.forEach((s, v) -> v.set(running.stream().anyMatch(d -> d.state() == s) ? 1 : 0));
  }

  /** For tests: the failovers counted for {@code vip} and {@code reason}. */
  double failovers(String vip, String reason) {
    Counter c = registry.find("lvs.ha.failovers").tag("vip", vip).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  Duration sinceFailover(String vip) {
    Long at = lastChange.get(vip);
    return at == null ? null : Duration.ofMillis(monotonicMillis.get() - at);
  }
}
