package io.lvs.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.KernelWatch;
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
 * The control plane goes away for 30 s: the data plane must not notice, and when the API server
 * is back, agents and operator catch up with a change made right after.
 */
@Order(9)
class ApiServerOutageE2eTest extends Scenario {
  static final String VIP = "198.18.0.209";
  static final Duration OUTAGE = Duration.ofSeconds(30);

  @Test
  @DisplayName("fault: API server stopped 30 s: traffic unaffected, a change after restart reaches the kernel")
  void apiServerDown(Lab lab) {
    LabNode director = lab.director();
    LabNode rs = lab.realServers().get(0);
    lab.kube().apply(Manifests.pair(
        Manifests.nodePool("web-outage", List.of()),
        Manifests.virtualService("dr-outage", VIP, "DirectRouting", "rr", "web-outage", List.of())));
    lab.await("DR service programmed", CONVERGE, () -> Ipvsadm.service(director.ns(), tcp(VIP, WebServers.PORT))
        .filter(s -> s.destinations().size() == 2).isPresent());
    String tableBefore = Ipvsadm.save(director.ns());

    try (Client.Loop loop = Client.continuous(VIP, WebServers.PORT, Duration.ofMillis(200), r -> {});
        KernelWatch watch = new KernelWatch("outage", Duration.ofMillis(500),
            () -> Ipvsadm.save(director.ns()).equals(tableBefore) ? null : "IPVS table changed during the outage")) {
      loop.awaitAtLeast(3, Duration.ofSeconds(60));
      lab.apiServer().stopApiServer();
      Instant down = Instant.now();
      Lab.pause(OUTAGE);
      int duringOutage = loop.responses().size();
      lab.apiServer().startApiServer(Duration.ofSeconds(180));
      Duration apiBack = Duration.between(down, Instant.now());
      assertThat(watch.violations()).as("kernel changed while the API server was down").isEmpty();
      loop.awaitAtLeast(duringOutage + 3, Duration.ofSeconds(60));
      Client.Tally tally = loop.tally();
      assertThat(tally.failed()).as("failed requests around the outage: %s", tally).isZero();

      // catch-up: a weight change written right after the API server is back
      Instant changed = Instant.now();
      lab.kube().apply(Manifests.nodePool("web-outage", List.of(
          "weights:", "- address: " + rs.address(), "  weight: 5")));
      Duration caughtUp = lab.await("weight 5 for " + rs.name() + " after the outage", Duration.ofSeconds(120),
          () -> Ipvsadm.service(director.ns(), tcp(VIP, WebServers.PORT))
              .flatMap(s -> s.destination(rs.address() + ":80")).filter(d -> d.weight() == 5).isPresent());
      lab.results().sample("recovery: API server back → change in kernel", caughtUp);
      lab.results().figure(tally.total() + " requests, 0 failed, " + watch.checks() + " kernel checks unchanged during "
          + OUTAGE.toSeconds() + "s outage (API back after " + DirectRoutingE2eTest.seconds(apiBack) + "); change applied "
          + DirectRoutingE2eTest.seconds(Duration.between(changed, Instant.now())) + " after restart");
    }
  }
}
