package io.lvs.e2e.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Checks a kernel invariant over and over on a background thread ("the DR service still holds
 * both real servers") and remembers every time it did not hold: how "no rule was flushed while
 * the agent was down" is proven rather than assumed.
 */
public final class KernelWatch implements AutoCloseable {
  private final Thread thread;
  private final List<String> violations = new ArrayList<>();
  private volatile boolean running = true;
  private int checks;

  /** {@code check} returns null when the invariant holds, else what was wrong. */
  public KernelWatch(String name, Duration every, Supplier<String> check) {
    thread = new Thread(() -> {
      while (running) {
        String problem;
        try {
          problem = check.get();
        } catch (RuntimeException e) {
          problem = "check failed: " + e.getMessage();
        }
        synchronized (violations) {
          checks++;
          if (problem != null) {
            violations.add(Instant.now() + " " + problem);
          }
        }
        try {
          Thread.sleep(every.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "kernel-watch-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  public List<String> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  public int checks() {
    synchronized (violations) {
      return checks;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
