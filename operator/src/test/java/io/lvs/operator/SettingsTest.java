package io.lvs.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void defaultsAreTheContractsOnes() {
    assertThat(Settings.fromEnv(Map.of()))
        .isEqualTo(new Settings(9710, true, "lvs-system", Set.of(), Duration.ofSeconds(300)));
  }

  @Test
  void leaseTimingsAndThreadsComeFromTheEnvironment() {
    var s = Settings.fromEnv(Map.of("LVS_LEASE_DURATION_SECONDS", "60", "LVS_LEASE_RENEW_DEADLINE_SECONDS", "40",
        "LVS_LEASE_RETRY_PERIOD_SECONDS", "5", "LVS_RECONCILE_THREADS", "3"));
    assertThat(s.lease()).isEqualTo(new Settings.LeaseTiming(Duration.ofSeconds(60), Duration.ofSeconds(40),
        Duration.ofSeconds(5)));
    assertThat(s.reconcileThreads()).isEqualTo(3);
    assertThat(Settings.fromEnv(Map.of()).lease()).isEqualTo(Settings.LeaseTiming.DEFAULT);
    assertThat(Settings.fromEnv(Map.of()).reconcileThreads()).isEqualTo(Settings.DEFAULT_RECONCILE_THREADS);
  }

  @Test
  void badTimingsAndThreadsNameTheVariableAndValue() {
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("LVS_LEASE_RENEW_DEADLINE_SECONDS", "30")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LVS_LEASE_RENEW_DEADLINE_SECONDS (30) < LVS_LEASE_DURATION_SECONDS (30)");
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("LVS_LEASE_RETRY_PERIOD_SECONDS", "20")))
        .hasMessageContaining("LVS_LEASE_RETRY_PERIOD_SECONDS (20) < LVS_LEASE_RENEW_DEADLINE_SECONDS (20)");
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("LVS_RECONCILE_THREADS", "0")))
        .hasMessage("LVS_RECONCILE_THREADS: must be at least 1, got 0");
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("LVS_LEASE_DURATION_SECONDS", "30s")))
        .hasMessageContaining("LVS_LEASE_DURATION_SECONDS: not a whole number: \"30s\"");
  }

  @Test
  void environmentOverrides() {
    var s = Settings.fromEnv(Map.of("LVS_HTTP_PORT", "0", "LVS_LEADER_ELECTION", "false", "LVS_NAMESPACE", "x",
        "LVS_WATCH_NAMESPACES", "a, b,", "LVS_GONE_NODE_TIMEOUT_SECONDS", "7"));
    assertThat(s).isEqualTo(new Settings(0, false, "x", Set.of("a", "b"), Duration.ofSeconds(7)));
  }
}
