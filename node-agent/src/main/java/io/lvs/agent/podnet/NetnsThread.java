package io.lvs.agent.podnet;

import io.lvs.agent.netlink.sys.Netns;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one task inside a network namespace, on a new platform thread that enters it with setns(2)
 * and ends with the task. Why a thread of its own: setns changes only the calling thread, and
 * /proc/sys/net and new netlink sockets follow that thread's namespace, which is what the pod's
 * sysctls and addresses need; a thread that stayed behind in a pod's namespace and went back to a
 * pool would misdirect some later, unrelated socket. A thread that never returns cannot. (A
 * helper process, nsenter, would do the same at a fork+exec per pod and an image dependency.)
 */
public final class NetnsThread {
  private NetnsThread() {}

  /** The task's result; its exception rethrown; a hang ends after {@code timeout}. */
  public static <T> T call(NetnsRef ns, Duration timeout, Callable<T> task) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        Netns.enterForGood(ns.path());
        result.set(task.call());
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "netns-" + ns.inode());
    t.setDaemon(true);
    t.start();
    try {
      t.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted in netns " + ns.describe(), e);
    }
    if (t.isAlive()) {
      throw new IllegalStateException("no answer within " + timeout.toSeconds() + " s in netns " + ns.describe());
    }
    Throwable e = failure.get();
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    if (e != null) {
      throw new IllegalStateException("in netns " + ns.describe() + ": " + e, e);
    }
    return result.get();
  }
}
