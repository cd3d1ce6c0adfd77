package io.lvs.agent.runtime;

import io.lvs.agent.ha.PeerReport;
import io.lvs.agent.ha.PeerReportCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directors' heartbeat over the data network (docs/ha.md): one UDP socket, unicast to each
 * peer. A datagram that is not a heartbeat is dropped and counted; the caller decides whether the
 * sender is a director it knows.
 */
public final class HeartbeatChannel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatChannel.class);
  /** The default port (next to the agent's HTTP port, 9720). */
  public static final int DEFAULT_PORT = 9721;

  private final DatagramSocket socket;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong sendErrors = new AtomicLong();

  /** A heartbeat and where it came from. */
  public record Received(PeerReport report, InetSocketAddress from) {}

  private HeartbeatChannel(DatagramSocket socket) {
    this.socket = socket;
  }

  public static HeartbeatChannel bind(InetSocketAddress local) {
    try {
      return new HeartbeatChannel(new DatagramSocket(local));
    } catch (IOException e) {
      throw new UncheckedIOException("bind heartbeat socket " + local, e);
    }
  }

  public InetSocketAddress local() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** Sends to every peer; a peer that cannot be sent to is logged and counted, the others still get it. */
  public void send(PeerReport r, Collection<InetSocketAddress> peers) {
    byte[] b = PeerReportCodec.encode(r);
    for (InetSocketAddress p : peers) {
      try {
        socket.send(new DatagramPacket(b, b.length, p));
      } catch (IOException e) {
        sendErrors.incrementAndGet();
        LOG.debug("event=heartbeat_send_failed peer={} error=\"{}\"", p, e.getMessage());
      }
    }
  }

  /** The next heartbeat within {@code timeout}, skipping what is not one; empty on timeout. */
  public Optional<Received> receive(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] buf = new byte[PeerReportCodec.MAX_DATAGRAM];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return Optional.empty();
      }
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        socket.receive(p);
      } catch (SocketTimeoutException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException("receive heartbeat on " + local(), e);
      }
      try {
        return Optional.of(new Received(PeerReportCodec.decode(p.getData(), p.getLength()),
            (InetSocketAddress) p.getSocketAddress()));
      } catch (IllegalArgumentException e) {
        refused.incrementAndGet();
        LOG.debug("event=heartbeat_refused from={} reason=\"{}\"", p.getSocketAddress(), e.getMessage());
      }
    }
  }

  public long refused() {
    return refused.get();
  }

  public long sendErrors() {
    return sendErrors.get();
  }

  @Override
  public void close() {
    socket.close();
  }
}
