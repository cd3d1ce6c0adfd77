package io.lvs.agent.netlink;

import java.nio.ByteBuffer;

/**
 * A datagram channel to the kernel's netlink: the seam between the codec / reply loop (pure Java,
 * testable with a fake) and the one class that makes system calls (netlink.sys.NetlinkSocket).
 */
public interface NetlinkTransport extends AutoCloseable {
  /** The socket's netlink port id (nl_pid after bind), which the kernel echoes in replies. */
  int portId();

  /** Sends the bytes between position and limit as one datagram. */
  void send(ByteBuffer datagram);

  /**
   * Receives one datagram into {@code into} from index 0, returning its length. A datagram
   * larger than the buffer is an error, never silently truncated.
   */
  int receive(ByteBuffer into);

  /**
   * Receives a datagram that is already queued, without waiting: its length, or -1 when none is.
   * Used after a batch the kernel runs inside sendmsg (nfnetlink), whose answers are all queued
   * by the time send returns.
   */
  default int receiveNow(ByteBuffer into) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot receive without waiting");
  }

  @Override
  void close();
}
