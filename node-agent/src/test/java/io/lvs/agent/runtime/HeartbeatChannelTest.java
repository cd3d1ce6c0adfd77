package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.ha.PeerReport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Real UDP on loopback. */
class HeartbeatChannelTest {
  private static InetSocketAddress any() throws Exception {
    return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
  }

  @Test
  void aHeartbeatArrivesWithItsSenderAndForeignDatagramsAreSkipped() throws Exception {
    try (HeartbeatChannel a = HeartbeatChannel.bind(any()); HeartbeatChannel b = HeartbeatChannel.bind(any());
        DatagramSocket stray = new DatagramSocket(any())) {
      byte[] junk = "GET / HTTP/1.0\r\n\r\n".getBytes();
      stray.send(new DatagramPacket(junk, junk.length, b.local()));
      PeerReport r = new PeerReport("d1", 7, 1500, Set.of("198.18.0.100"));
      a.send(r, List.of(b.local()));
      HeartbeatChannel.Received got = b.receive(Duration.ofSeconds(5)).orElseThrow();
      assertThat(got.report()).isEqualTo(r);
      assertThat(got.from()).isEqualTo(a.local());
      assertThat(b.refused()).isEqualTo(1);
    }
  }

  @Test
  void nothingWithinTheTimeoutIsEmpty() throws Exception {
    try (HeartbeatChannel b = HeartbeatChannel.bind(any())) {
      long t0 = System.nanoTime();
      assertThat(b.receive(Duration.ofMillis(200))).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }
  }
}
