package io.lvs.operator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StartupHoldTest {
  private final AtomicLong now = new AtomicLong();
  private final AtomicLong unresolved = new AtomicLong(3);
  private final StartupHold hold = new StartupHold(Duration.ofSeconds(90), now::get, unresolved::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void holdsUntilTheCachesAreReadyAndEveryPoolIsResolvedThenNeverAgain() {
    assertThat(hold.holding()).isTrue();
    hold.cachesReady();
    advance(Duration.ofSeconds(10));
    assertThat(hold.holding()).isTrue();
    unresolved.set(0);
    assertThat(hold.holding()).isFalse();
    unresolved.set(5);
    assertThat(hold.holding()).as("released for good").isFalse();
  }

  @Test
  void thePoolsGetAtMostTheHoldFromTheCachesReadiness() {
    hold.cachesReady();
    advance(Duration.ofSeconds(90));
    assertThat(hold.holding()).isTrue();
    advance(Duration.ofMillis(1));
    assertThat(hold.holding()).isFalse();
  }

  @Test
  void theCachesGetAtMostTwiceTheHoldFromTheFirstLook() {
    assertThat(hold.holding()).isTrue();
    advance(Duration.ofSeconds(180));
    assertThat(hold.holding()).isTrue();
    advance(Duration.ofMillis(1));
    assertThat(hold.holding()).isFalse();
  }
}
