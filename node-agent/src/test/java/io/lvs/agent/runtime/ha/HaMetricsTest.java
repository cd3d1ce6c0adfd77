package io.lvs.agent.runtime.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.ha.Decision.Reason;
import io.lvs.agent.ipvs.SyncDaemon;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HaMetricsTest {
  final AtomicLong millis = new AtomicLong(10_000);
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final HaMetrics m = new HaMetrics(registry, millis::get);

  @Test
  void takeoversAreCountedByReasonAndTheTimeSinceTheLastTransitionGrows() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    m.transition(new Transition("198.18.0.100", true, Reason.STANDBY, t, null)); // first election: no failover
    m.transition(new Transition("198.18.0.100", false, Reason.FENCED, t));
    m.transition(new Transition("198.18.0.100", true, Reason.STANDBY, t, new ElectionPorts.Takeover("d2", "HolderLost")));
    millis.addAndGet(2500);
    assertThat(m.failovers("198.18.0.100", "HolderLost")).isEqualTo(1);
    assertThat(m.sinceFailover("198.18.0.100")).isEqualTo(Duration.ofMillis(2500));
    m.daemons(List.of(new SyncDaemon(SyncDaemon.State.BACKUP, "eth0", 0)));
    String scrape = registry.scrape();
    assertThat(scrape).contains("lvs_ha_failovers_total{reason=\"HolderLost\",vip=\"198.18.0.100\"} 1.0")
        .contains("lvs_ha_seconds_since_failover{vip=\"198.18.0.100\"} 2.5")
        .contains("lvs_ha_sync_daemon_state{role=\"backup\"} 1.0")
        .contains("lvs_ha_sync_daemon_state{role=\"master\"} 0.0");
  }
}
