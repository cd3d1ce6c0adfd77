package io.lvs.operator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoalescingRunnerTest {
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    thread.shutdownNow();
  }

  /** Waits until every task queued on the loop's thread before this call has run. */
  private void drain() throws Exception {
    thread.submit(() -> {}).get(10, TimeUnit.SECONDS);
  }

  @Test
  void requestsDuringARunFoldIntoOneMoreRun() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    CoalescingRunner loop = new CoalescingRunner(thread, () -> {
      if (runs.incrementAndGet() == 1) {
        running.countDown();
        await(release);
      }
    }, () -> false, Duration.ofHours(1));
    loop.request();
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 5; i++) {
      loop.request();
    }
    release.countDown();
    drain();
    assertThat(runs).hasValue(2);
  }

  @Test
  void aFailedRunIsRetriedAfterThePause() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch retried = new CountDownLatch(1);
    CoalescingRunner loop = new CoalescingRunner(thread, () -> {
      if (runs.incrementAndGet() == 1) {
        throw new IllegalStateException("API server unavailable");
      }
      retried.countDown();
    }, () -> false, Duration.ofMillis(10));
    loop.request();
    assertThat(retried.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(runs).hasValue(2);
  }

  @Test
  void aShutGateDefersTheRunUntilItOpens() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger looks = new AtomicInteger();
    CountDownLatch ran = new CountDownLatch(1);
    CoalescingRunner loop = new CoalescingRunner(thread, () -> {
      runs.incrementAndGet();
      ran.countDown();
    }, () -> looks.incrementAndGet() < 3, Duration.ofHours(1));
    loop.request();
    drain();
    assertThat(runs).as("gate shut at the first look").hasValue(0);
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(looks).hasValue(3);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
