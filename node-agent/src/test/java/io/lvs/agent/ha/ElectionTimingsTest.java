package io.lvs.agent.ha;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ElectionTimingsTest {
  private static Duration ms(long m) {
    return Duration.ofMillis(m);
  }

  @Test
  void refusesTimingsTheSafetyArgumentCannotUse() {
    assertThatThrownBy(() -> new ElectionTimings(ms(3000), ms(2800), ms(500), ms(1500)))
        .hasMessage("leaseDuration PT3S must be longer than renewDeadline PT2.8S + retryPeriod PT0.5S");
    assertThatThrownBy(() -> new ElectionTimings(ms(3000), ms(2000), ms(500), ms(2600)))
        .hasMessage("leaseDuration PT3S must be longer than peerTimeout PT2.6S + retryPeriod PT0.5S");
    assertThatThrownBy(() -> new ElectionTimings(ms(3000), ms(400), ms(500), ms(1500)))
        .hasMessage("renewDeadline PT0.4S must be longer than retryPeriod PT0.5S");
    assertThatThrownBy(() -> new ElectionTimings(ms(3000), ms(2000), ms(0), ms(1500)))
        .hasMessage("retryPeriod PT0S must be positive");
  }

  @Test
  void theSubSecondSettingsOfDocsHaAreValid() {
    new ElectionTimings(ms(1000), ms(600), ms(200), ms(500));
  }
}
