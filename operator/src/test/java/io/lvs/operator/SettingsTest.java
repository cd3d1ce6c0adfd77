package io.lvs.operator;

import static org.assertj.core.api.Assertions.assertThat;

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
  void environmentOverrides() {
    var s = Settings.fromEnv(Map.of("LVS_HTTP_PORT", "0", "LVS_LEADER_ELECTION", "false", "LVS_NAMESPACE", "x",
        "LVS_WATCH_NAMESPACES", "a, b,", "LVS_GONE_NODE_TIMEOUT_SECONDS", "7"));
    assertThat(s).isEqualTo(new Settings(0, false, "x", Set.of("a", "b"), Duration.ofSeconds(7)));
  }
}
