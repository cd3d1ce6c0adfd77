package io.lvs.agent.lab;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jnr.ffi.LibraryLoader;

/**
 * A thread that lives in a named network namespace (setns(2) on /var/run/netns/NAME), so that
 * sockets it opens (netlink, TCP) and /proc/sys/net it reads are that namespace's: how a test runs
 * the agent's own code "on" a lab host. Tests only.
 */
public final class NetnsThread implements AutoCloseable {
  /** The few libc calls needed; jnr binds them by name. */
  public interface LibC {
    int open(String path, int flags);

    int setns(int fd, int nstype);

    int close(int fd);
  }

  private static final int CLONE_NEWNET = 0x40000000;
  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

  private final String name;
  private final ExecutorService executor;

  public NetnsThread(String netns) {
    this.name = netns;
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "netns-" + netns);
      t.setDaemon(true);
      return t;
    });
    call(() -> {
      int fd = LIBC.open("/var/run/netns/" + netns, 0);
      if (fd < 0) {
        throw new IllegalStateException("open /var/run/netns/" + netns + " failed");
      }
      try {
        if (LIBC.setns(fd, CLONE_NEWNET) != 0) {
          throw new IllegalStateException("setns into " + netns + " failed");
        }
      } finally {
        LIBC.close(fd);
      }
      return null;
    });
  }

  /** Runs the task on the namespace's thread and waits (at most two minutes) for its result. */
  public <T> T call(Callable<T> task) {
    try {
      return executor.submit(task).get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("in netns " + name + ": " + c, c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted in netns " + name, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out in netns " + name, e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
