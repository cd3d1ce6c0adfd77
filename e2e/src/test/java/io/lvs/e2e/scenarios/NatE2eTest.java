package io.lvs.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.Kernel;
import io.lvs.e2e.lab.Lab;
import io.lvs.e2e.lab.LabNode;
import io.lvs.e2e.lab.Manifests;
import io.lvs.e2e.lab.WebServers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Seed 003: LVS-NAT with weighted round robin 3:1. The client is on another network (198.18.2.0/24)
 * and the real servers route it through the director, as in the seed's lab; the director
 * rewrites addresses both ways and needs ip_forward, which goes back to what it was on deletion.
 */
@Order(2)
class NatE2eTest extends Scenario {
  static final String VIP = "198.18.0.202";
  static final int REQUESTS = 200;

  @Test
  @DisplayName("NAT wrr 3:1: 200 requests split 3:1, ip_forward set then restored after delete")
  void natWeightedRoundRobin(Lab lab) {
    LabNode director = lab.director();
    LabNode heavy = lab.realServers().get(0);
    LabNode light = lab.realServers().get(1);
    String forwardBefore = Kernel.sysctl(director.ns(), "net.ipv4.ip_forward");
    lab.realServers().forEach(rs -> lab.network().routeRemoteClientsVia(rs.ns(), director.address()));
    Client.sourceFromRemoteAddress(VIP);
    try {
      Instant applied = Instant.now();
      lab.kube().apply(Manifests.pair(
          Manifests.nodePool("web-nat", List.of(
              "weights:",
              "- address: " + heavy.address(),
              "  weight: 3",
              "- address: " + light.address(),
              "  weight: 1")),
          Manifests.virtualService("nat-web", VIP, "NAT", "wrr", "web-nat", List.of())));
      lab.await("NAT service (-m) with weights 3 and 1 on " + director.name(), CONVERGE, () ->
          Ipvsadm.service(director.ns(), tcp(VIP, WebServers.PORT))
              .filter(s -> s.scheduler().equals("wrr"))
              .filter(s -> s.destination(heavy.address() + ":80").filter(d -> d.method().equals("-m") && d.weight() == 3).isPresent())
              .filter(s -> s.destination(light.address() + ":80").filter(d -> d.method().equals("-m") && d.weight() == 1).isPresent())
              .isPresent());
      Duration converged = Duration.between(applied, Instant.now());
      lab.results().sample("convergence: apply → rules in kernel", converged);
      lab.await("ip_forward=1 on the NAT director", CONVERGE,
          () -> Kernel.sysctl(director.ns(), "net.ipv4.ip_forward").equals("1"));

      Client.Tally tally = Client.Tally.of(Client.requests(VIP, WebServers.PORT, REQUESTS));
      assertThat(tally.failed()).as("failed requests").isZero();
      double share = tally.count(heavy.name()) / (double) REQUESTS;
      assertThat(share).as("share of %s (weight 3 of 4): %s", heavy.name(), tally.byServer()).isBetween(0.70, 0.80);
      assertThat(tally.count(heavy.name()) + tally.count(light.name())).isEqualTo(REQUESTS);
      Ipvsadm.Stats stats = directorStats(lab, tcp(VIP, WebServers.PORT), "InPkts > 0 and OutPkts > 0",
          // both: a fold of the counters during the first request can show its SYN without its reply
          s -> s.inPackets() > 0 && s.outPackets() > 0);
      assertThat(stats.outPackets()).as("OutPkts at the NAT director (replies return through it)").isPositive();
      lab.results().figure(REQUESTS + " requests " + tally.byServer() + " (" + Math.round(share * 100) + "% on weight 3)");

      lab.kube().delete("VirtualService", "nat-web", CONVERGE);
      Duration restored = lab.await("ip_forward restored to " + forwardBefore + " after delete", CONVERGE,
          () -> Kernel.sysctl(director.ns(), "net.ipv4.ip_forward").equals(forwardBefore));
      lab.results().figure("ip_forward " + forwardBefore + "→1→" + forwardBefore + " (" + DirectRoutingE2eTest.seconds(restored) + " after delete)");
    } finally {
      Client.sourceFromLocalAddress(VIP);
      lab.realServers().forEach(rs -> lab.network().removeRemoteClientRoute(rs.ns()));
    }
  }
}
