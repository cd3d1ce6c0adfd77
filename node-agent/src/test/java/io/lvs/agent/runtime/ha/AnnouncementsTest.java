package io.lvs.agent.runtime.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AnnouncementsTest {
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void repeatsCountTimesIntervalApartAndStopsWhenTheVipGoes() {
    Announcements a = new Announcements(2, Duration.ofMillis(300));
    a.added("198.18.0.1", t0);
    a.added("198.18.0.2", t0);
    assertThat(a.due(t0)).containsExactly("198.18.0.1", "198.18.0.2");
    assertThat(a.due(t0.plusMillis(299))).isEmpty();
    a.removed("198.18.0.2");
    assertThat(a.due(t0.plusMillis(300))).containsExactly("198.18.0.1");
    assertThat(a.due(t0.plusSeconds(5))).isEmpty();
  }

  @Test
  void oneVipsFirstAnnouncementTakenAtOnceIsNotRepeatedWithTheOthers() {
    Announcements a = new Announcements(2, Duration.ofMillis(300));
    a.added("198.18.0.1", t0);
    a.added("198.18.0.2", t0);
    assertThat(a.due("198.18.0.1", t0)).isTrue();
    assertThat(a.due("198.18.0.1", t0)).as("taken").isFalse();
    assertThat(a.due(t0)).containsExactly("198.18.0.2");
    assertThat(a.due(t0.plusMillis(300))).containsExactly("198.18.0.1", "198.18.0.2");
    assertThat(a.due("198.18.0.3", t0)).as("never added").isFalse();
  }

  @Test
  void refusesBadSettingsNamingThem() {
    assertThatThrownBy(() -> new Announcements(0, Duration.ofMillis(200))).hasMessage("announce count 0 must be 1-100");
    assertThatThrownBy(() -> new Announcements(3, Duration.ZERO)).hasMessage("announce interval PT0S must be positive");
  }
}
