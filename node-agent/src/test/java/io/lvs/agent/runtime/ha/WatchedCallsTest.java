package io.lvs.agent.runtime.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WatchedCallsTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aCallThatOutlivesItsLimitIsInterruptedAndTheThreadServesTheNext() throws InterruptedException {
    try (WatchedCalls calls = new WatchedCalls(Executors.newSingleThreadExecutor(), Duration.ofSeconds(3), () -> now)) {
      CountDownLatch started = new CountDownLatch(1);
      AtomicReference<String> outcome = new AtomicReference<>();
      CountDownLatch ended = new CountDownLatch(1);
      calls.execute(() -> {
        started.countDown();
        try {
          new CountDownLatch(1).await(); // as the API client's response future that never completes
          outcome.set("answered");
        } catch (InterruptedException e) {
          outcome.set("interrupted");
        }
        ended.countDown();
      });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      now = now.plusSeconds(3);
      assertThat(calls.interruptOverdue()).as("at the limit").isZero();
      now = now.plusMillis(1);
      assertThat(calls.interruptOverdue()).as("past the limit").isEqualTo(1);
      assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(outcome.get()).isEqualTo("interrupted");
      // the pool's one thread runs the next call, not interrupted
      CountDownLatch next = new CountDownLatch(1);
      AtomicReference<Boolean> nextInterrupted = new AtomicReference<>();
      calls.execute(() -> {
        nextInterrupted.set(Thread.currentThread().isInterrupted());
        next.countDown();
      });
      assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(nextInterrupted.get()).isFalse();
      assertThat(calls.interruptOverdue()).as("nothing running").isZero();
    }
  }
}
