package io.lvs.e2e.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  @Test
  void namesWhatIsAwaitedOncePerPeriodOfSilence() {
    Heartbeat h = new Heartbeat(Duration.ofSeconds(15), T0);
    h.waitingFor("agent/rs2 to answer /readyz", T0);

    assertThat(h.due(T0.plusSeconds(14))).isEmpty();
    assertThat(h.due(T0.plusSeconds(15))).contains("... still waiting for agent/rs2 to answer /readyz (15 s so far)");
    assertThat(h.due(T0.plusSeconds(16))).isEmpty();
    assertThat(h.due(T0.plusSeconds(30))).contains("... still waiting for agent/rs2 to answer /readyz (30 s so far)");
  }

  @Test
  void anotherLinePostponesTheHeartbeat() {
    Heartbeat h = new Heartbeat(Duration.ofSeconds(15), T0);
    h.waitingFor("the operator", T0);
    h.said(T0.plusSeconds(10));

    assertThat(h.due(T0.plusSeconds(20))).isEmpty();
    assertThat(h.due(T0.plusSeconds(25))).isPresent();
  }

  @Test
  void silentWhenNothingIsAwaited() {
    Heartbeat h = new Heartbeat(Duration.ofSeconds(15), T0);

    assertThat(h.due(T0.plusSeconds(60))).isEmpty();
  }

  @Test
  void duringRestoresTheOuterWait() {
    Heartbeat h = new Heartbeat(Duration.ofSeconds(15), T0);
    h.waitingFor("the lab", T0);

    String inner = h.during("kube-apiserver", () -> h.due(Instant.now().plusSeconds(3600)).orElseThrow());

    assertThat(inner).startsWith("... still waiting for kube-apiserver");
    assertThat(h.due(Instant.now().plusSeconds(7200)).orElseThrow()).startsWith("... still waiting for the lab");
  }
}
