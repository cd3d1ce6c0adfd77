package io.lvs.agent.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class UnsolicitedNaTest {
  @Test
  void advertisementLayoutFollowsRfc4861() throws Exception {
    byte[] p = UnsolicitedNa.packet(HexFormat.of().parseHex("020000000001"),
        (Inet6Address) InetAddress.getByName("2001:db8::100"));
    String hex = HexFormat.of().formatHex(p);
    String vip = "20010db8000000000000000000000100";
    // IPv6: version 6, payload 32, next header 58, hop limit 255, VIP -> ff02::1
    assertThat(hex.substring(0, 80)).isEqualTo("60000000" + "0020" + "3a" + "ff" + vip + "ff020000000000000000000000000001");
    // ICMPv6 136/0, checksum (4 hex digits skipped), flags O only, target VIP, option 2 len 1 MAC
    assertThat(hex.substring(80, 84)).isEqualTo("8800");
    assertThat(hex.substring(88)).isEqualTo("20000000" + vip + "0201" + "020000000001");
  }

  @Test
  void checksumMakesTheOnesComplementSumAllOnes() throws Exception {
    byte[] p = UnsolicitedNa.packet(HexFormat.of().parseHex("5254001234ab"),
        (Inet6Address) InetAddress.getByName("2001:db8:7::100"));
    // RFC 1071: summing the pseudo-header and the message, checksum included, gives 0xffff
    ByteBuffer sum = ByteBuffer.allocate(40 + 32);
    sum.put(Arrays.copyOfRange(p, 8, 40)).putInt(32).putInt(58).put(Arrays.copyOfRange(p, 40, 72));
    long s = 0;
    for (int i = 0; i < 72; i += 2) {
      s += Short.toUnsignedInt(sum.getShort(i));
    }
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    assertThat(s).isEqualTo(0xffff);
  }
}
