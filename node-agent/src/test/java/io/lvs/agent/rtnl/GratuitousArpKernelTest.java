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
 * A VIP added on a real (veth) interface and announced by gratuitous ARP: the neighbour namespace,
 * which accepts unsolicited ARP (arp_accept=1), learns VIP -> our MAC without asking.
 */
@Tag("kernel")
class GratuitousArpKernelTest {
  @AfterAll
  static void cleanup() {
    Oracle.deleteNetns("kt-garp1");
    Oracle.deleteNetns("kt-garp2");
  }

  @Test
  void neighbourLearnsTheVipFromTheAnnouncement() throws Exception {
    Oracle.freshNetns("kt-garp1");
    Oracle.freshNetns("kt-garp2");
    in("kt-garp1", "ip", "link", "add", "ga", "type", "veth", "peer", "name", "gb", "netns", "kt-garp2");
    in("kt-garp1", "ip", "addr", "add", "198.18.7.1/24", "dev", "ga");
    in("kt-garp1", "ip", "link", "set", "ga", "up");
    in("kt-garp2", "sysctl", "-q", "-w", "net.ipv4.conf.gb.arp_accept=1");
    in("kt-garp2", "ip", "addr", "add", "198.18.7.2/24", "dev", "gb");
    in("kt-garp2", "ip", "link", "set", "gb", "up");
    Oracle.awaitOperUp("kt-garp1", "ga");
    Oracle.awaitOperUp("kt-garp2", "gb");
    try (NetlinkRtnlClient rtnl = NetlinkRtnlClient.open("kt-garp1")) {
      InetAddress vip = InetAddress.getByName("198.18.7.100");
      rtnl.addAddress(new InterfaceAddress("ga", vip, 32));
      byte[] mac = rtnl.hardwareAddress("ga").orElseThrow();
      assertThat(in("kt-garp2", "ip", "neigh", "show", "198.18.7.100")).isBlank();
      // the path the Applier takes for an address marked announce (the VIP holder's interface)
      rtnl.announce(new InterfaceAddress("ga", vip, 32));
      String macText = HexFormat.ofDelimiter(":").formatHex(mac);
      String neigh = "";
      for (int i = 0; i < 50 && !neigh.contains(macText); i++) {
        Thread.sleep(100);
        neigh = in("kt-garp2", "ip", "neigh", "show", "198.18.7.100");
      }
      assertThat(neigh).contains("198.18.7.100 dev gb lladdr " + macText);
      assertThat(in("kt-garp1", "ip", "link", "show", "dev", "ga")).contains("link/ether " + macText);
    }
  }
}
