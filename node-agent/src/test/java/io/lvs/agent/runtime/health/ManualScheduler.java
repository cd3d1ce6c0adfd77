package io.lvs.agent.runtime.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on virtual time for tests: nothing runs until {@link #advance}, which runs every
 * task due by then, in time order, on the calling thread. Only what HealthChecker uses is supported.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private long now;
  private long sequence;
  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.order));
  private boolean shutdown;

  private final class Task implements ScheduledFuture<Object> {
    final Runnable body;
    final long delay;
    long due;
    long order;
    boolean cancelled;
    boolean done;

    Task(Runnable body, long due, long delay) {
      this.body = body;
      this.due = due;
      this.delay = delay;
      this.order = sequence++;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - now, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      cancelled = true;
      return queue.remove(this);
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }
  }

  /** Moves virtual time forward, running every task due meanwhile (a fixed-delay task again after its delay). */
  void advance(Duration by) {
    long until = now + by.toNanos();
    while (!queue.isEmpty() && queue.peek().due <= until) {
      Task t = queue.poll();
      now = t.due;
      t.body.run();
      if (t.delay > 0 && !t.cancelled) {
        t.due = now + t.delay;
        t.order = sequence++;
        queue.add(t);
      } else {
        t.done = true;
      }
    }
    now = until;
  }

  /** Tasks waiting to run. */
  int pending() {
    return queue.size();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    Task t = new Task(command, now + unit.toNanos(initialDelay), unit.toNanos(delay));
    queue.add(t);
    return t;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Task t = new Task(command, now + unit.toNanos(delay), 0);
    queue.add(t);
    return t;
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return scheduleWithFixedDelay(command, initialDelay, period, unit);
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public void shutdown() {
    shutdown = true;
    queue.clear();
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown();
    return new ArrayList<>();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }
}
