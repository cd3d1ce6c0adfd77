package io.lvs.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.Kernel;
import io.lvs.e2e.lab.KernelWatch;
import io.lvs.e2e.lab.Lab;
import io.lvs.e2e.lab.LabNode;
import io.lvs.e2e.lab.Manifests;
import io.lvs.e2e.lab.Shell;
import io.lvs.e2e.lab.WebServers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The faults a user fears: a crashed agent, hand-made damage to the kernel state. */
@Order(4)
class FaultsE2eTest extends Scenario {
  static final String VIP = "198.18.0.203";
  /** Resync interval plus room for JVM pauses and a slow emulated CPU. */
  static final Duration REPAIR_BOUND = Duration.ofSeconds(Lab.RESYNC_SECONDS + 15L);

  @Test
  @DisplayName("fault: kill -9 director and RS agents under a request loop, restart: 0 failed requests, no rule flushed")
  void agentKilledUnderLoad(Lab lab) {
    LabNode director = lab.director();
    LabNode rs = lab.realServers().get(0);
    programDr(lab);
    String tableBefore = Ipvsadm.save(director.ns());

    try (Client.Loop loop = Client.continuous(VIP, WebServers.PORT, Duration.ofMillis(100), r -> {});
        KernelWatch watch = new KernelWatch("dr-intact", Duration.ofMillis(300), () -> intact(lab, rs))) {
      loop.awaitAtLeast(5, Duration.ofSeconds(60));
      Instant killed = Instant.now();
      lab.agent(director.name()).kill9();
      lab.agent(rs.name()).kill9();
      int atKill = loop.responses().size();
      lab.agent(director.name()).start();
      lab.agent(rs.name()).start();
      // a JVM's start under software emulation, two at once: minutes, not the seconds of a real node
      lab.awaitAgentReady(director.name(), Duration.ofSeconds(420));
      lab.awaitAgentReady(rs.name(), Duration.ofSeconds(420));
      Duration back = Duration.between(killed, Instant.now());
      lab.results().sample("recovery: agent kill -9 → restarted agent ready", back);
      // a few resyncs of the restarted agents under traffic
      Lab.pause(Duration.ofSeconds(Lab.RESYNC_SECONDS * 2L));
      loop.awaitAtLeast(loop.responses().size() + 5, Duration.ofSeconds(60));

      Client.Tally tally = loop.tally();
      assertThat(tally.failed()).as("failed requests while the agents were killed and restarted: %s", tally).isZero();
      assertThat(watch.violations()).as("kernel state lost while agents were down/restarting (%d checks)", watch.checks()).isEmpty();
      assertThat(Ipvsadm.save(director.ns())).as("IPVS table after restart").isEqualTo(tableBefore);
      lab.results().figure(tally.total() + " requests (" + (tally.total() - atKill) + " after the kill), 0 failed; "
          + watch.checks() + " kernel checks, 0 violations; agents ready " + DirectRoutingE2eTest.seconds(back) + " after kill -9");
    }
  }

  @Test
  @DisplayName("fault: ipvsadm -C and a VIP deleted by hand are repaired within the resync interval")
  void handMadeDamageRepaired(Lab lab) {
    LabNode director = lab.director();
    LabNode rs = lab.realServers().get(0);
    programDr(lab);

    Shell.inNs(director.ns(), "ipvsadm", "-C").orThrow();
    Duration flushRepaired = lab.await("IPVS service back after ipvsadm -C", REPAIR_BOUND, () -> intact(lab, rs) == null);
    lab.results().sample("recovery: ipvsadm -C → rules back", flushRepaired);

    Shell.inNs(rs.ns(), "ip", "addr", "del", VIP + "/32", "dev", "lo").orThrow();
    Duration vipRepaired = lab.await("VIP back on " + rs.name() + " lo", REPAIR_BOUND, () -> Kernel.hasAddress(rs.ns(), "lo", VIP));
    lab.results().sample("recovery: RS VIP deleted → back", vipRepaired);

    Shell.inNs(director.ns(), "ip", "addr", "del", VIP + "/32", "dev", "eth0").orThrow();
    Duration directorVip = lab.await("VIP back on " + director.name() + " eth0", REPAIR_BOUND,
        () -> Kernel.hasAddress(director.ns(), "eth0", VIP));
    lab.results().sample("recovery: director VIP deleted → back", directorVip);

    Client.Tally tally = Client.Tally.of(Client.requests(VIP, WebServers.PORT, 6));
    assertThat(tally.failed()).as("requests after the repairs").isZero();
    lab.results().figure("ipvsadm -C repaired in " + DirectRoutingE2eTest.seconds(flushRepaired) + ", RS VIP in "
        + DirectRoutingE2eTest.seconds(vipRepaired) + ", director VIP in " + DirectRoutingE2eTest.seconds(directorVip)
        + " (resync " + Lab.RESYNC_SECONDS + "s)");
  }

  static void programDr(Lab lab) {
    lab.kube().apply(Manifests.pair(
        Manifests.nodePool("web", List.of()),
        Manifests.virtualService("dr-faults", VIP, "DirectRouting", "rr", "web", List.of())));
    LabNode rs = lab.realServers().get(0);
    lab.await("DR service programmed with VIPs in place", CONVERGE, () -> intact(lab, rs) == null
        && Kernel.hasAddress(lab.director().ns(), "eth0", VIP));
  }

  /** Null when the DR service holds both real servers and the RS holds the VIP on lo. */
  static String intact(Lab lab, LabNode rs) {
    var service = Ipvsadm.service(lab.director().ns(), tcp(VIP, WebServers.PORT));
    if (service.isEmpty()) {
      return "service " + VIP + ":80 missing on " + lab.director().name();
    }
    if (service.get().destinations().size() != lab.realServers().size()) {
      return "service has " + service.get().destinations().size() + " real servers";
    }
    if (!Kernel.hasAddress(rs.ns(), "lo", VIP)) {
      return "VIP missing on " + rs.name() + " lo";
    }
    return null;
  }
}
