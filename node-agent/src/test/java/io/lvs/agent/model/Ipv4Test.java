package io.lvs.agent.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Ipv4#bits} against the plain path, the bytes {@code getAddress()} copies out. */
class Ipv4Test {
  static int plain(Inet4Address a) {
    byte[] b = a.getAddress();
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }

  @Test
  void bitsAreTheAddressBytesForRandomAndEdgeAddresses() throws Exception {
    SplittableRandom r = new SplittableRandom(17);
    for (int i = 0; i < 100_000; i++) {
      int bits = i < 4 ? new int[] {0, -1, 0x80000000, 0x7fffffff}[i] : r.nextInt();
      Inet4Address a = Ipv4.address(bits);
      assertThat(Ipv4.bits(a)).as("%s", a).isEqualTo(bits).isEqualTo(plain(a));
    }
    Inet4Address parsed = (Inet4Address) InetAddress.getByName("198.18.3.14");
    assertThat(Ipv4.bits(parsed)).isEqualTo(0xC612030E);
    assertThat(Ipv4.address(0xC612030E)).isEqualTo(parsed);
  }
}
