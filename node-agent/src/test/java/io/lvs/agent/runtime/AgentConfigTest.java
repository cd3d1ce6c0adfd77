package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
  @Test
  void defaultsFollowTheEnvironmentContract() {
    AgentConfig c = AgentConfig.fromEnv(Map.of("NODE_NAME", "worker-1"));
    assertThat(c.nodeName()).isEqualTo("worker-1");
    assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/lvs-agent"));
    assertThat(c.resync()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.fullReadEvery()).isEqualTo(8);
    assertThat(c.httpPort()).isEqualTo(9720);
  }

  @Test
  void everyVariableCanBeSet() {
    AgentConfig c = AgentConfig.fromEnv(Map.of("NODE_NAME", "n1.example", "LVS_STATE_DIR", "/tmp/x",
        "LVS_RESYNC_SECONDS", "3", "LVS_RESYNC_FULL_READ_EVERY", "1", "LVS_HTTP_PORT", "0"));
    assertThat(c.stateDir()).isEqualTo(Path.of("/tmp/x"));
    assertThat(c.resync()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.fullReadEvery()).isEqualTo(1);
    assertThat(c.httpPort()).isZero();
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> AgentConfig.fromEnv(Map.of())).hasMessageStartingWith("NODE_NAME: required");
    assertThatThrownBy(() -> AgentConfig.fromEnv(Map.of("NODE_NAME", "Bad_Name")))
        .hasMessageContaining("NODE_NAME: \"Bad_Name\" is not a valid node name");
    assertThatThrownBy(() -> AgentConfig.fromEnv(Map.of("NODE_NAME", "n", "LVS_RESYNC_SECONDS", "ten")))
        .hasMessageContaining("LVS_RESYNC_SECONDS: \"ten\" is not a number");
    assertThatThrownBy(() -> AgentConfig.fromEnv(Map.of("NODE_NAME", "n", "LVS_RESYNC_SECONDS", "0")))
        .hasMessageContaining("LVS_RESYNC_SECONDS: 0 is outside 1..86400");
    assertThatThrownBy(() -> AgentConfig.fromEnv(Map.of("NODE_NAME", "n", "LVS_RESYNC_FULL_READ_EVERY", "0")))
        .hasMessageContaining("LVS_RESYNC_FULL_READ_EVERY: 0 is outside 1..1000");
    assertThatThrownBy(() -> AgentConfig.fromEnv(Map.of("NODE_NAME", "n", "LVS_HTTP_PORT", "70000")))
        .hasMessageContaining("LVS_HTTP_PORT: 70000 is outside 0..65535");
  }
}
