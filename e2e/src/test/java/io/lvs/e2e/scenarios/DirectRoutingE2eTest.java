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

/** Seeds 001, 002, 004: LVS-DR with round robin, as two resources instead of a shell session. */
@Order(1)
class DirectRoutingE2eTest extends Scenario {
  static final String VIP = "198.18.0.201";

  @Test
  @DisplayName("DR rr: VIP on director and on RS lo, ARP sysctls, replies bypass the director, rr alternates")
  void directRoutingRoundRobin(Lab lab) {
    LabNode director = lab.director();
    Instant applied = Instant.now();
    lab.kube().apply(Manifests.pair(
        Manifests.nodePool("web", List.of()),
        Manifests.virtualService("dr-web", VIP, "DirectRouting", "rr", "web", List.of())));

    lab.await("DR service with both real servers (-g) on " + director.name(), CONVERGE, () ->
        Ipvsadm.service(director.ns(), tcp(VIP, WebServers.PORT))
            .filter(s -> s.scheduler().equals("rr"))
            .filter(s -> lab.realServers().stream().allMatch(rs ->
                s.destination(rs.address() + ":" + WebServers.PORT).filter(d -> d.method().equals("-g")).isPresent()))
            .isPresent());
    Duration converged = Duration.between(applied, Instant.now());
    lab.results().sample("convergence: apply → rules in kernel", converged);
    lab.results().figure("rules in kernel " + seconds(converged) + " after apply");

    lab.await("VIP on the director's eth0", CONVERGE, () -> Kernel.hasAddress(director.ns(), "eth0", VIP));
    for (LabNode rs : lab.realServers()) {
      lab.await("VIP on lo and arp_ignore=1/arp_announce=2 on " + rs.name(), CONVERGE, () ->
          Kernel.hasAddress(rs.ns(), "lo", VIP)
              && Kernel.sysctl(rs.ns(), "net.ipv4.conf.all.arp_ignore").equals("1")
              && Kernel.sysctl(rs.ns(), "net.ipv4.conf.all.arp_announce").equals("2"));
    }
    // the director answers ARP for the VIP; the real servers, which hold it on lo, must not
    assertThat(Kernel.hasAddress(director.ns(), "lo", VIP)).as("VIP not on the director's lo").isFalse();

    List<Client.Response> responses = Client.requests(VIP, WebServers.PORT, 20);
    Client.Tally tally = Client.Tally.of(responses);
    assertThat(tally.failed()).as("failed requests").isZero();
    assertThat(tally.byServer()).containsOnlyKeys("rs1", "rs2");
    for (int i = 1; i < responses.size(); i++) {
      assertThat(responses.get(i).server()).as("response %d differs from response %d (rr alternates)", i, i - 1)
          .isNotEqualTo(responses.get(i - 1).server());
    }
    Ipvsadm.Stats stats = directorStats(lab, tcp(VIP, WebServers.PORT), "InPkts > 0", s -> s.inPackets() > 0);
    assertThat(stats.inPackets()).as("InPkts at the director").isPositive();
    assertThat(stats.outPackets()).as("OutPkts at the director (DR replies bypass it)").isZero();
    lab.results().figure("20 requests " + tally.byServer() + ", director InPkts " + stats.inPackets() + " OutPkts 0");

    lab.await("VirtualService dr-web Ready=True", CONVERGE, () ->
        lab.kube().condition("VirtualService", "dr-web", "Ready").filter(c -> c.status().equals("True")).isPresent());
  }

  static String seconds(Duration d) {
    return String.format("%.2fs", d.toMillis() / 1000.0);
  }
}
