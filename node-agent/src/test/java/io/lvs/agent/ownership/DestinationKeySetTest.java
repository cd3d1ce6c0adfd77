package io.lvs.agent.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.model.DestinationKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The compact set against the TreeSet the owned set held before: same members, order, equality. */
class DestinationKeySetTest {
  @Test
  void behavesAsTheSortedTreeSetItReplacesOnRandomKeys() throws Exception {
    Random random = new Random(17);
    for (int round = 0; round < 500; round++) {
      List<DestinationKey> input = randomKeys(random, random.nextInt(40));
      TreeSet<DestinationKey> old = new TreeSet<>(OwnedService.ORDER);
      old.addAll(input);
      Set<DestinationKey> compact = DestinationKeySet.of(input);

      assertThat(new ArrayList<>(compact)).as("round %d order", round).containsExactlyElementsOf(old);
      assertThat(compact).hasSameSizeAs(old).isEqualTo(old);
      assertThat(old).isEqualTo(compact);
      assertThat(compact.hashCode()).isEqualTo(old.hashCode());
      assertThat(compact).isEqualTo(DestinationKeySet.of(new HashSet<>(input))); // the array-wise equals
      for (DestinationKey probe : randomKeys(random, 20)) {
        assertThat(compact.contains(probe)).as("%s in %s", probe, old).isEqualTo(old.contains(probe));
      }
      for (DestinationKey member : input) {
        assertThat(compact).contains(member);
      }
    }
  }

  @Test
  void isImmutableAndAnOwnedServiceEqualsOneBuiltFromAnyOtherSet() throws Exception {
    DestinationKey a = new DestinationKey(InetAddress.getByName("198.18.0.11"), 80);
    DestinationKey b = new DestinationKey(InetAddress.getByName("2001:db8::1"), 80);
    OwnedService s = new OwnedService("ns/web", Set.of(a, b));

    assertThat(s).isEqualTo(new OwnedService("ns/web", new HashSet<>(List.of(b, a))));
    // ORDER compares address bytes: 0x20 (2001:db8::1) before 198 (198.18.0.11), as the TreeSet did
    assertThat(s.destinations()).containsExactly(b, a).isEqualTo(Set.of(a, b));
    assertThatThrownBy(() -> s.destinations().add(a)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.destinations().iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(new OwnedService("ns/web", Set.of()).destinations()).isEmpty();
  }

  /** IPv4 from a small pool (duplicates, shared prefixes with IPv6), IPv6, edge and out-of-range ports. */
  static List<DestinationKey> randomKeys(Random random, int n) throws Exception {
    int[] ports = {0, 1, 80, 443, 8080, 65535, 70000, -1};
    List<DestinationKey> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      InetAddress address;
      if (random.nextInt(4) == 0) {
        byte[] b = new byte[16];
        b[0] = (byte) (random.nextBoolean() ? 0x20 : 0xc6); // 0xc6 = 198: same first byte as the IPv4 pool
        b[1] = (byte) random.nextInt(3);
        b[15] = (byte) random.nextInt(4);
        address = InetAddress.getByAddress(b);
      } else {
        address = InetAddress.getByAddress(new byte[] {(byte) 198, (byte) (18 + random.nextInt(2)),
            (byte) random.nextInt(3), (byte) random.nextInt(256)});
      }
      int port = random.nextInt(5) == 0 ? ports[random.nextInt(ports.length)] : 80 + random.nextInt(3);
      out.add(new DestinationKey(address, port));
    }
    return out;
  }
}
