package io.lvs.agent.rtnl;

import static io.lvs.agent.kernellab.Oracle.in;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.model.InterfaceAddress;
import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * An IPv6 VIP moved to this node: the neighbour still has the old director's MAC for it (STALE, as
 * after a failover) and repoints it to ours on the unsolicited advertisement alone (override flag).
 */
@Tag("kernel")
class UnsolicitedNaKernelTest {
  @AfterAll
  static void cleanup() {
    Oracle.deleteNetns("kt-na1");
    Oracle.deleteNetns("kt-na2");
  }

  @Test
  void neighbourRepointsTheVipOnTheAdvertisement() throws Exception {
    Oracle.freshNetns("kt-na1");
    Oracle.freshNetns("kt-na2");
    in("kt-na1", "ip", "link", "add", "na", "type", "veth", "peer", "name", "nb", "netns", "kt-na2");
    in("kt-na1", "ip", "-6", "addr", "add", "2001:db8:7::1/64", "dev", "na", "nodad");
    in("kt-na1", "ip", "link", "set", "na", "up");
    in("kt-na2", "ip", "-6", "addr", "add", "2001:db8:7::2/64", "dev", "nb", "nodad");
    in("kt-na2", "ip", "link", "set", "nb", "up");
    Oracle.awaitOperUp("kt-na1", "na");
    Oracle.awaitOperUp("kt-na2", "nb");
    in("kt-na2", "ip", "-6", "neigh", "replace", "2001:db8:7::100", "lladdr", "02:00:00:00:00:99", "dev", "nb",
        "nud", "stale");
    try (NetlinkRtnlClient rtnl = NetlinkRtnlClient.open("kt-na1")) {
      InetAddress vip = InetAddress.getByName("2001:db8:7::100");
      rtnl.addAddress(new InterfaceAddress("na", vip, 128));
      String macText = HexFormat.ofDelimiter(":").formatHex(rtnl.hardwareAddress("na").orElseThrow());
      assertThat(in("kt-na2", "ip", "-6", "neigh", "show", "2001:db8:7::100")).contains("02:00:00:00:00:99");
      rtnl.announce(new InterfaceAddress("na", vip, 128));
      String neigh = "";
      for (int i = 0; i < 50 && !neigh.contains(macText); i++) {
        Thread.sleep(100);
        neigh = in("kt-na2", "ip", "-6", "neigh", "show", "2001:db8:7::100");
      }
      assertThat(neigh).contains("2001:db8:7::100 dev nb lladdr " + macText);
    }
  }
}
