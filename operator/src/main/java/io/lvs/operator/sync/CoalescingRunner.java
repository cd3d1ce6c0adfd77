package io.lvs.operator.sync;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job on one thread, folding any number of requests made while it runs into one more run
 * (kube-proxy's bounded-frequency idea): 2,000 VirtualServices reconciling at start cost a handful
 * of runs, not 2,000. A run that fails is retried after a pause (the job is idempotent); while the
 * gate is shut the run waits and looks again shortly.
 */
final class CoalescingRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CoalescingRunner.class);
  private static final Duration GATE_RECHECK = Duration.ofMillis(100);
  private final ScheduledExecutorService executor;
  private final Runnable job;
  private final BooleanSupplier gateShut;
  private final Duration retry;
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** @param gateShut true while the job must not run yet (the start-up hold) */
  CoalescingRunner(ScheduledExecutorService executor, Runnable job, BooleanSupplier gateShut, Duration retry) {
    this.executor = executor;
    this.job = job;
    this.gateShut = gateShut;
    this.retry = retry;
  }

  void request() {
    dirty.set(true);
    if (scheduled.compareAndSet(false, true)) {
      executor.execute(this::loop);
    }
  }

  void requestAfter(Duration delay) {
    executor.schedule(this::request, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void loop() {
    try {
      while (dirty.getAndSet(false)) {
        if (gateShut.getAsBoolean()) {
          requestAfter(GATE_RECHECK);
          break;
        }
        try {
          job.run();
        } catch (RuntimeException e) {
          if (executor.isShutdown()) {
            return; // closing: the writes were cut off on purpose
          }
          LOG.warn("node state sync failed, retrying in {}: {}", retry, e.toString());
          requestAfter(retry);
        }
      }
    } finally {
      scheduled.set(false);
      if (dirty.get() && !executor.isShutdown() && scheduled.compareAndSet(false, true)) {
        executor.execute(this::loop);
      }
    }
  }
}
