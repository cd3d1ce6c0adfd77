package io.lvs.agent.rtnl;

import static io.lvs.agent.kernellab.Oracle.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.netlink.NetlinkException;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Links and addresses made through {@link NetlinkRtnlClient}, read back with `ip -d link/addr`. */
@Tag("kernel")
class NetlinkRtnlClientKernelTest {
  private static final String NS = "kt-rtnl";
  private static NetlinkRtnlClient rtnl;

  @BeforeAll
  static void namespace() {
    Oracle.freshNetns(NS);
    rtnl = NetlinkRtnlClient.open(NS);
  }

  @AfterAll
  static void cleanup() {
    if (rtnl != null) {
      rtnl.close();
    }
    Oracle.deleteNetns(NS);
  }

  static InterfaceAddress addr(String dev, String ip, int prefix) throws Exception {
    return new InterfaceAddress(dev, InetAddress.getByName(ip), prefix);
  }

  @Test
  void dummyLinkWithVipsOnItAndOnLo() throws Exception {
    rtnl.addLink("vip0", "dummy");
    assertThat(in(NS, "ip", "-d", "link", "show", "dev", "vip0")).contains("vip0: <").contains("\n    dummy ")
        .doesNotContain(",UP");
    rtnl.setLinkUp("vip0");
    assertThat(in(NS, "ip", "-d", "link", "show", "dev", "vip0")).contains(",UP");
    int index = rtnl.linkIndex("vip0").orElseThrow();
    assertThat(in(NS, "ip", "-o", "link", "show", "dev", "vip0")).startsWith(index + ": vip0");
    assertThat(rtnl.links()).contains(new RtnlClient.Link(index, "vip0", "dummy", true));

    InterfaceAddress lo4 = addr("lo", "198.18.0.100", 32);
    InterfaceAddress lo6 = addr("lo", "2001:db8::100", 128);
    InterfaceAddress dev4 = addr("vip0", "198.18.5.1", 32);
    rtnl.addAddress(lo4);
    rtnl.addAddress(lo6);
    rtnl.addAddress(dev4);
    String lo = in(NS, "ip", "-d", "addr", "show", "dev", "lo");
    assertThat(lo).contains("inet 198.18.0.100/32 scope global lo").contains("inet6 2001:db8::100/128 scope global");
    assertThat(in(NS, "ip", "-d", "addr", "show", "dev", "vip0")).contains("inet 198.18.5.1/32 scope global vip0");
    assertThat(rtnl.addresses()).contains(lo4, lo6, dev4);

    assertThatThrownBy(() -> rtnl.addAddress(lo4)).isInstanceOf(NetlinkException.class)
        .hasMessageStartingWith("add address 198.18.0.100/32 dev lo: EEXIST");
    rtnl.deleteAddress(lo4);
    rtnl.deleteAddress(lo6);
    assertThat(in(NS, "ip", "addr", "show", "dev", "lo")).doesNotContain("198.18.0.100").doesNotContain("2001:db8::100");
    assertThat(rtnl.addresses()).doesNotContain(lo4, lo6).contains(dev4);
    assertThatThrownBy(() -> rtnl.deleteAddress(lo4)).hasMessageStartingWith("delete address 198.18.0.100/32 dev lo: EADDRNOTAVAIL");
    assertThatThrownBy(() -> rtnl.addAddress(addr("nosuch0", "198.18.0.1", 32)))
        .hasMessageStartingWith("add address 198.18.0.1/32 dev nosuch0: ENODEV");

    rtnl.deleteLink("vip0");
    assertThat(Oracle.exec("ip", "netns", "exec", NS, "ip", "link", "show", "dev", "vip0").exit()).isNotZero();
    assertThat(rtnl.linkIndex("vip0")).isEmpty();
    assertThatThrownBy(() -> rtnl.deleteLink("vip0")).hasMessageStartingWith("delete link vip0: ENODEV");
  }

  @Test
  void tunl0IsTheIpipFallbackDeviceAndComesUp() throws Exception {
    rtnl.addLink("tunl0", "ipip"); // already there: the ipip module makes it in every namespace
    rtnl.setLinkUp("tunl0");
    rtnl.addAddress(addr("tunl0", "198.18.0.200", 32));
    String link = in(NS, "ip", "-d", "link", "show", "dev", "tunl0");
    assertThat(link).contains("tunl0@NONE: <NOARP,UP,LOWER_UP>").contains("ipip any remote any local any");
    assertThat(in(NS, "ip", "addr", "show", "dev", "tunl0")).contains("inet 198.18.0.200/32 scope global tunl0");
    assertThat(rtnl.links()).anyMatch(l -> l.name().equals("tunl0") && "ipip".equals(l.kind()) && l.up());
    assertThatThrownBy(() -> rtnl.addLink("vip1", "nosuchkind")).hasMessageStartingWith("add link vip1 type nosuchkind: EOPNOTSUPP");
  }
}
