package io.lvs.agent.runtime.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Runs the Lease calls on a pool and interrupts any that outlives {@code limit}: the API client's
 * own request timeout was seen not to fire (a GET parked for a minute in an agent started seconds
 * before, in the lab), and a call that never returns would hold its VIP's call slot for good.
 * {@link #interruptOverdue} is called by the election thread on every step.
 */
final class WatchedCalls implements Executor, AutoCloseable {
  private final ExecutorService pool;
  private final Duration limit;
  private final Supplier<Instant> clock;
  /** Each running call's thread and when it started. */
  private final Map<Thread, Instant> running = new ConcurrentHashMap<>();

  WatchedCalls(ExecutorService pool, Duration limit, Supplier<Instant> clock) {
    this.pool = pool;
    this.limit = limit;
    this.clock = clock;
  }

  @Override
  public void execute(Runnable call) {
    pool.execute(() -> {
      Thread self = Thread.currentThread();
      running.put(self, clock.get());
      try {
        call.run();
      } finally {
        running.remove(self);
        Thread.interrupted(); // an interrupt that came as the call ended must not hit the next one
      }
    });
  }

  /** Interrupts every call running for longer than the limit; how many it interrupted. */
  int interruptOverdue() {
    Instant now = clock.get();
    int interrupted = 0;
    for (Map.Entry<Thread, Instant> e : running.entrySet()) {
      // removed first, and only if still that call: a thread already on its next call is left alone
      if (Duration.between(e.getValue(), now).compareTo(limit) > 0 && running.remove(e.getKey(), e.getValue())) {
        e.getKey().interrupt();
        interrupted++;
      }
    }
    return interrupted;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
