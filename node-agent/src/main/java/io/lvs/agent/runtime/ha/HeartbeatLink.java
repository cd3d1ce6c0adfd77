package io.lvs.agent.runtime.ha;

import io.lvs.agent.runtime.HeartbeatChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat threads of this director: a sender (every heartbeat interval, and at once when
 * what it says changes, to every peer director) and a receiver that hands the election only heartbeats from a director's address under
 * that director's name. The UDP socket is bound on the first HA VIP, to this director's address
 * as the spec names it, so a node without one opens no port. Their own threads: a slow Lease call on the election thread never delays a heartbeat.
 */
final class HeartbeatLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatLink.class);
  private final int port;
  private final ElectionLoop loop;
  private volatile HaTopology topology = HaTopology.NONE;
  private volatile boolean closed;
  private HeartbeatChannel channel;
  private Thread sender;
  private Thread receiver;
  private long ignored;

  HeartbeatLink(int port, ElectionLoop loop) {
    this.port = port;
    this.loop = loop;
  }

  /** Election thread: the peers to send to and hear from. */
  synchronized void configure(HaTopology t) {
    topology = t;
    if (channel == null && !t.empty() && !closed) {
      // on this director's own address: the peers take heartbeats only from it
      channel = HeartbeatChannel.bind(t.selfAddress().map(a -> new InetSocketAddress(a, port))
          .orElseGet(() -> new InetSocketAddress(port)));
      sender = start("agent-ha-heartbeat-send", this::sendLoop);
      receiver = start("agent-ha-heartbeat-receive", this::receiveLoop);
      LOG.atInfo().addKeyValue("event", "ha_heartbeat_bound").addKeyValue("local", channel.local()).log("heartbeat socket bound");
    }
  }

  private static Thread start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void sendLoop() {
    long seq = System.currentTimeMillis(); // a restarted agent goes on upwards (Peers' reorder check)
    while (!closed) {
      HaTopology t = topology;
      try {
        if (!t.heartbeatTo().isEmpty()) {
          channel.send(loop.report(seq++), t.heartbeatTo());
        }
        loop.awaitReportChange(t.heartbeatInterval());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.atWarn().addKeyValue("event", "ha_heartbeat_send_failed").addKeyValue("error", e.getMessage()).log("heartbeat not sent");
        sleepQuietly(t.heartbeatInterval());
      }
    }
  }

  private void receiveLoop() {
    while (!closed) {
      try {
        Optional<HeartbeatChannel.Received> r = channel.receive(Duration.ofMillis(500));
        if (r.isEmpty()) {
          continue;
        }
        HeartbeatChannel.Received got = r.get();
        if (topology.accepts(got.from().getAddress(), got.report().node())) {
          loop.heard(got.report());
        } else if (ignored++ % 100 == 0) {
          LOG.atWarn().addKeyValue("event", "ha_heartbeat_ignored").addKeyValue("from", got.from())
              .addKeyValue("node", got.report().node()).log("heartbeat from an address that is not that director's");
        }
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.atWarn().addKeyValue("event", "ha_heartbeat_receive_failed").addKeyValue("error", e.getMessage()).log("heartbeat receive failed");
          sleepQuietly(Duration.ofMillis(100));
        }
      }
    }
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (sender != null) {
      sender.interrupt();
    }
    if (channel != null) {
      channel.close();
    }
  }
}
