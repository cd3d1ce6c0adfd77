package io.lvs.agent.runtime.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.ha.ElectionTimings;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.runtime.IpLiterals;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaTopologyTest {
  static HaVipSpec vip(String address, Map<String, String> directors, Duration heartbeat, boolean sync) {
    Map<String, java.net.InetAddress> d = new java.util.TreeMap<>();
    directors.forEach((n, a) -> d.put(n, IpLiterals.parse(a)));
    return new HaVipSpec("o", new InterfaceAddress("eth0", IpLiterals.parse(address), 32), d, null, true,
        ElectionTimings.DEFAULT, heartbeat, 3, Duration.ofMillis(200), sync);
  }

  @Test
  void heartbeatsGoToEveryOtherDirectorAndAreTakenOnlyFromItsAddressUnderItsName() {
    HaTopology t = HaTopology.of("dir1", List.of(
        vip("198.18.0.100", Map.of("dir1", "198.18.0.10", "dir2", "198.18.0.14"), Duration.ofMillis(300), false),
        vip("198.18.0.101", Map.of("dir1", "198.18.0.10", "dir3", "198.18.0.15"), Duration.ofMillis(100), true)), 9721);
    assertThat(t.directors()).containsExactly("dir1", "dir2", "dir3");
    assertThat(t.heartbeatTo()).containsExactly(new InetSocketAddress("198.18.0.14", 9721),
        new InetSocketAddress("198.18.0.15", 9721));
    assertThat(t.heartbeatInterval()).as("the shortest asked for").isEqualTo(Duration.ofMillis(100));
    assertThat(t.accepts(IpLiterals.parse("198.18.0.14"), "dir2")).isTrue();
    assertThat(t.accepts(IpLiterals.parse("198.18.0.14"), "dir3")).as("another director's name").isFalse();
    assertThat(t.accepts(IpLiterals.parse("198.18.0.99"), "dir2")).as("not a director's address").isFalse();
    assertThat(t.accepts(IpLiterals.parse("198.18.0.10"), "dir1")).as("our own").isFalse();
    assertThat(t.syncedVips()).containsExactly("198.18.0.101");
    assertThat(t.selfAddress()).contains(IpLiterals.parse("198.18.0.10"));
    assertThat(t.elections()).extracting(ElectionLoop.HaVip::vip).containsExactly("198.18.0.100", "198.18.0.101");
  }

  @Test
  void noVipsNoPeers() {
    assertThat(HaTopology.NONE.empty()).isTrue();
    assertThat(HaTopology.NONE.heartbeatTo()).isEmpty();
  }
}
