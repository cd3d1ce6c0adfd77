package io.lvs.e2e.lab;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Says what the lab is waiting for when nothing else was said for {@code every}: under emulation
 * the JVMs take minutes to start, and minutes of silence read as a hang.
 */
public final class Heartbeat implements AutoCloseable {
  private final Duration every;
  private final Consumer<String> out;
  private final ScheduledExecutorService timer;
  private Instant lastLine;
  private String waitingFor;
  private Instant waitingSince;

  /** Not started: {@link #due(Instant)} is driven by the caller (tests). */
  Heartbeat(Duration every, Instant now) {
    this(every, now, line -> {}, null);
  }

  private Heartbeat(Duration every, Instant now, Consumer<String> out, ScheduledExecutorService timer) {
    this.every = every;
    this.out = out;
    this.timer = timer;
    this.lastLine = now;
  }

  /** Checks once a second and hands a due line to {@code out}. */
  public static Heartbeat start(Duration every, Consumer<String> out) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lab-heartbeat");
      t.setDaemon(true);
      return t;
    });
    Heartbeat h = new Heartbeat(every, Instant.now(), out, timer);
    timer.scheduleWithFixedDelay(() -> h.due(Instant.now()).ifPresent(out), 1, 1, TimeUnit.SECONDS);
    return h;
  }

  /** Something else was printed: the next heartbeat is {@code every} from now. */
  public synchronized void said(Instant now) {
    lastLine = now;
  }

  /** Runs {@code work}, naming it in the heartbeats meanwhile. */
  public <T> T during(String what, Supplier<T> work) {
    String outer;
    Instant outerSince;
    synchronized (this) {
      outer = waitingFor;
      outerSince = waitingSince;
      waitingFor = what;
      waitingSince = Instant.now();
    }
    try {
      return work.get();
    } finally {
      synchronized (this) {
        waitingFor = outer;
        waitingSince = outerSince;
      }
    }
  }

  public void during(String what, Runnable work) {
    during(what, () -> {
      work.run();
      return null;
    });
  }

  /** The line to print at {@code now}, if one is due; printing it counts as something said. */
  synchronized Optional<String> due(Instant now) {
    if (waitingFor == null || Duration.between(lastLine, now).compareTo(every) < 0) {
      return Optional.empty();
    }
    lastLine = now;
    return Optional.of("... still waiting for " + waitingFor + " ("
        + Duration.between(waitingSince, now).toSeconds() + " s so far)");
  }

  /** As {@link #during(String, Supplier)} with a given start, for tests. */
  synchronized void waitingFor(String what, Instant since) {
    waitingFor = what;
    waitingSince = since;
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
