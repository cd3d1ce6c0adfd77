package io.lvs.agent.netlink.sys;

import io.lvs.agent.netlink.Errno;
import java.util.function.IntSupplier;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * Creates a socket inside a named network namespace: the calling thread enters it with setns(2),
 * creates the socket and returns home. A socket keeps the namespace it was created in, so the
 * agent (and the kernel tests) can program a namespace without a process of their own in it.
 */
public final class Netns {
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final int CLONE_NEWNET = 0x40000000;

  /** The libc entry points used. */
  public interface LibC {
    @SaveError
    int open(String path, int flags);

    @SaveError
    int setns(int fd, int nstype);

    int close(int fd);
  }

  /** Loading libc is costly and the proxy is stateless: one per class loader, never mutated. */
  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

  private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

  private Netns() {}

  /**
   * Runs {@code create} (which returns a file descriptor) in the named namespace (a name under
   * /var/run/netns or a path; null: the current one) and returns its result.
   */
  public static int createIn(String netns, String what, IntSupplier create) {
    if (netns == null) {
      return create.getAsInt();
    }
    String path = netns.contains("/") ? netns : "/var/run/netns/" + netns;
    int target = open(path, what);
    int home = -1;
    try {
      home = open("/proc/thread-self/ns/net", what);
      if (LIBC.setns(target, CLONE_NEWNET) != 0) {
        throw Errno.exception("enter netns", path, LastError.getLastError(RUNTIME), null);
      }
      try {
        return create.getAsInt();
      } finally {
        // A thread left in the wrong namespace would silently misdirect every later socket.
        if (LIBC.setns(home, CLONE_NEWNET) != 0) {
          throw new IllegalStateException("cannot return thread to its network namespace: "
              + Errno.describe(LastError.getLastError(RUNTIME)));
        }
      }
    } finally {
      LIBC.close(target);
      if (home >= 0) {
        LIBC.close(home);
      }
    }
  }

  /**
   * Moves the calling thread into the namespace at {@code path} and leaves it there. setns(2) with
   * CLONE_NEWNET changes only the calling thread (the JVM's other threads stay in the node's
   * namespace); a thread that never comes back must therefore end with its task and never serve a
   * pool: only {@code podnet.NetnsThread} calls this, on a thread of its own.
   */
  public static void enterForGood(String path) {
    int target = open(path, "entering");
    try {
      if (LIBC.setns(target, CLONE_NEWNET) != 0) {
        throw Errno.exception("enter netns", path, LastError.getLastError(RUNTIME), null);
      }
    } finally {
      LIBC.close(target);
    }
  }

  private static int open(String path, String what) {
    int f = LIBC.open(path, O_RDONLY | O_CLOEXEC);
    if (f < 0) {
      throw Errno.exception("open", path + " for " + what, LastError.getLastError(RUNTIME), null);
    }
    return f;
  }
}
