package io.lvs.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.Lab;
import io.lvs.e2e.lab.LabNode;
import io.lvs.e2e.lab.Manifests;
import io.lvs.e2e.lab.Shell;
import io.lvs.e2e.lab.WebServers;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * FullNAT: the client is on a network the real servers have no route to; replies still arrive
 * because the director also rewrites the source to its own address (SNAT).
 */
@Order(7)
class FullNatE2eTest extends Scenario {
  static final String VIP = "198.18.0.207";

  @Test
  @DisplayName("FullNAT: real servers without a route to the client, replies return through the director (SNAT)")
  void fullNat(Lab lab) {
    LabNode director = lab.director();
    for (LabNode rs : lab.realServers()) {
      assertThat(Shell.inNs(rs.ns(), "ip", "route", "get", "198.18.2.100").ok())
          .as("%s has no route to the remote client", rs.name()).isFalse();
    }
    Client.sourceFromRemoteAddress(VIP);
    try {
      lab.kube().apply(Manifests.pair(
          Manifests.nodePool("web-fnat", List.of()),
          Manifests.virtualService("fnat-web", VIP, "FullNAT", "rr", "web-fnat", List.of())));
      lab.await("FullNAT service (-m) with both real servers", CONVERGE, () ->
          Ipvsadm.service(director.ns(), tcp(VIP, WebServers.PORT))
              .filter(s -> s.destinations().size() == 2 && s.destinations().stream().allMatch(d -> d.method().equals("-m")))
              .isPresent());
      // the SNAT rule may follow the IPVS rule by a sync: the first request that works proves it
      lab.await("a request from the remote client answered", CONVERGE, () -> Client.request(VIP, WebServers.PORT).ok());
      Client.Tally tally = Client.Tally.of(Client.requests(VIP, WebServers.PORT, 10));
      assertThat(tally.failed()).as("failed FullNAT requests").isZero();
      assertThat(tally.byServer()).containsOnlyKeys("rs1", "rs2");
      Ipvsadm.Stats stats = directorStats(lab, tcp(VIP, WebServers.PORT), "InPkts > 0 and OutPkts > 0",
          // both: a fold of the counters during the first request can show its SYN without its reply
          s -> s.inPackets() > 0 && s.outPackets() > 0);
      assertThat(stats.outPackets()).as("OutPkts at the FullNAT director").isPositive();
      lab.results().figure("10 requests from 198.18.2.100 " + tally.byServer() + ", director OutPkts " + stats.outPackets());
    } finally {
      Client.sourceFromLocalAddress(VIP);
    }
  }
}
