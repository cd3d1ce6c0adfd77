package io.lvs.e2e.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.e2e.lab.GapProbe.Answer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GapProbeTest {
  @Test
  void theOutageIsMeasuredWhereverItFallsAfterTheKillNotJustAroundIt() {
    // killed at 10.0; the old holder still answers until its link goes down at ~10.6; then two
    // connect timeouts; the new holder answers from 13.9
    List<Answer> a = List.of(new Answer(9.8, true), new Answer(9.95, true), new Answer(10.2, true),
        new Answer(10.45, true), new Answer(11.5, false), new Answer(12.6, false), new Answer(13.9, true),
        new Answer(14.0, true));
    assertThat(GapProbe.largestGapSince(a, 10.0)).contains(Duration.ofMillis(3450));
  }

  @Test
  void aGapEntirelyBeforeTheKillDoesNotCount() {
    List<Answer> a = List.of(new Answer(1.0, true), new Answer(6.0, true), new Answer(10.1, true), new Answer(10.3, true));
    assertThat(GapProbe.largestGapSince(a, 10.0)).contains(Duration.ofMillis(4100));
    assertThat(GapProbe.largestGapSince(a, 10.2)).contains(Duration.ofMillis(200));
  }

  @Test
  void nothingAnsweredAfterTheKillIsNoFigure() {
    assertThat(GapProbe.largestGapSince(List.of(new Answer(9.0, true), new Answer(11.0, false)), 10.0)).isEmpty();
  }
}
