package io.lvs.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.Kernel;
import io.lvs.e2e.lab.Lab;
import io.lvs.e2e.lab.LabNode;
import io.lvs.e2e.lab.Manifests;
import io.lvs.e2e.lab.WebServers;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** LVS-TUN: the director wraps requests in IPIP; real servers hold the VIP on tunl0 and answer directly. */
@Order(6)
class TunnelE2eTest extends Scenario {
  static final String VIP = "198.18.0.206";

  @Test
  @DisplayName("TUN: ipip to real servers, VIP on tunl0, rp_filter relaxed, traffic flows, director OutPkts 0")
  void tunnel(Lab lab) {
    LabNode director = lab.director();
    lab.kube().apply(Manifests.pair(
        Manifests.nodePool("web-tun", List.of()),
        Manifests.virtualService("tun-web", VIP, "Tunnel", "rr", "web-tun", List.of())));
    lab.await("TUN service (-i) with both real servers", CONVERGE, () ->
        Ipvsadm.service(director.ns(), tcp(VIP, WebServers.PORT))
            .filter(s -> s.destinations().size() == 2 && s.destinations().stream().allMatch(d -> d.method().equals("-i")))
            .isPresent());
    for (LabNode rs : lab.realServers()) {
      lab.await("VIP on tunl0 (up), rp_filter relaxed, ARP sysctls on " + rs.name(), CONVERGE, () ->
          Kernel.hasAddress(rs.ns(), "tunl0", VIP) && Kernel.linkUp(rs.ns(), "tunl0")
              && !Kernel.sysctl(rs.ns(), "net.ipv4.conf.tunl0.rp_filter").equals("1")
              && !Kernel.sysctl(rs.ns(), "net.ipv4.conf.all.rp_filter").equals("1")
              && Kernel.sysctl(rs.ns(), "net.ipv4.conf.all.arp_ignore").equals("1"));
    }
    Client.Tally tally = Client.Tally.of(Client.requests(VIP, WebServers.PORT, 10));
    assertThat(tally.failed()).as("failed requests through the tunnel").isZero();
    assertThat(tally.byServer()).containsOnlyKeys("rs1", "rs2");
    Ipvsadm.Stats stats = directorStats(lab, tcp(VIP, WebServers.PORT), "InPkts > 0", s -> s.inPackets() > 0);
    assertThat(stats.inPackets()).as("InPkts at the TUN director").isPositive();
    assertThat(stats.outPackets()).as("OutPkts at the TUN director (replies go direct)").isZero();
    lab.results().figure("10 requests " + tally.byServer() + ", director InPkts " + stats.inPackets() + " OutPkts 0");
  }
}
