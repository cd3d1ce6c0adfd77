package io.lvs.agent.runtime.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaSettingsTest {
  @Test
  void defaults() {
    assertThat(HaSettings.fromEnv(Map.of())).isEqualTo(new HaSettings("lvs-system", 9721, Duration.ofMillis(400), 0, null));
  }

  @Test
  void setValuesAreReadAndBadOnesNamed() {
    assertThat(HaSettings.fromEnv(Map.of("LVS_NAMESPACE", "lb", "LVS_HA_PORT", "9800", "LVS_SYNC_ID", "7",
        "LVS_SYNC_INTERFACE", "eth1", "LVS_HA_API_TIMEOUT_MILLIS", "200")))
        .isEqualTo(new HaSettings("lb", 9800, Duration.ofMillis(200), 7, "eth1"));
    assertThatThrownBy(() -> HaSettings.fromEnv(Map.of("LVS_SYNC_ID", "256"))).hasMessage("LVS_SYNC_ID: 256 is outside 0..255");
    assertThatThrownBy(() -> HaSettings.fromEnv(Map.of("LVS_HA_PORT", "x"))).hasMessage("LVS_HA_PORT: \"x\" is not a number");
    assertThatThrownBy(() -> HaSettings.fromEnv(Map.of("LVS_SYNC_INTERFACE", "a b"))).hasMessageStartingWith("LVS_SYNC_INTERFACE");
    assertThatThrownBy(() -> HaSettings.fromEnv(Map.of("LVS_NAMESPACE", "Bad_NS"))).hasMessageStartingWith("LVS_NAMESPACE");
  }
}
