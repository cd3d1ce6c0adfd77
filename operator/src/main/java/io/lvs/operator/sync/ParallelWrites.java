package io.lvs.operator.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs the API writes of one sync run a few at a time: the API server, not this process, is their
 * bottleneck. Waits for all, then fails with the first failure if any (the run is retried whole).
 */
interface ParallelWrites {
  void run(List<Runnable> writes);

  /** One after the other on the calling thread (tests, and the memo-free reference sync). */
  ParallelWrites SEQUENTIAL = writes -> writes.forEach(Runnable::run);

  static ParallelWrites on(ExecutorService pool) {
    return writes -> {
      if (writes.size() == 1) {
        writes.get(0).run();
        return;
      }
      List<Future<?>> futures = new ArrayList<>(writes.size());
      writes.forEach(t -> futures.add(pool.submit(t)));
      RuntimeException first = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while writing node state", e);
        }
      }
      if (first != null) {
        throw first;
      }
    };
  }
}
