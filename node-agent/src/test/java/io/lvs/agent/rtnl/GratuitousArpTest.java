package io.lvs.agent.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class GratuitousArpTest {
  @Test
  void announcementLayoutFollowsRfc826() throws Exception {
    byte[] p = GratuitousArp.packet(HexFormat.of().parseHex("020000000001"),
        (Inet4Address) InetAddress.getByName("198.18.0.100"));
    // htype 1, ptype 0x0800, hlen 6, plen 4, oper 1 (request); sha, spa = VIP; tha 0; tpa = VIP
    assertThat(HexFormat.of().formatHex(p)).isEqualTo(
        "0001" + "0800" + "06" + "04" + "0001" + "020000000001" + "c6120064" + "000000000000" + "c6120064");
  }
}
