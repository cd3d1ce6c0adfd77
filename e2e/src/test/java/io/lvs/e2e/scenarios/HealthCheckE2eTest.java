package io.lvs.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.Lab;
import io.lvs.e2e.lab.LabNode;
import io.lvs.e2e.lab.Manifests;
import io.lvs.e2e.lab.WebServers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** A real server's web server dies (the node and its agent live on): health checks take it out. */
@Order(10)
class HealthCheckE2eTest extends Scenario {
  static final String VIP = "198.18.0.210";
  static final int INTERVAL = 1;
  static final int FALL = 2;
  static final int RISE = 2;
  /** interval × threshold, plus a resync and the emulated CPU's slack. */
  static final Duration BOUND = Duration.ofSeconds(INTERVAL * (long) Math.max(FALL, RISE) + Lab.RESYNC_SECONDS + 15L);

  @Test
  @DisplayName("fault: a killed RS web server goes to weight 0 within interval x fall, back after rise")
  void healthCheckTakesDeadServerOut(Lab lab) {
    LabNode director = lab.director();
    LabNode victim = lab.realServers().get(1);
    LabNode survivor = lab.realServers().get(0);
    lab.kube().apply(Manifests.pair(
        Manifests.nodePool("web-hc", List.of(
            "healthCheck:",
            "  type: HTTP",
            "  path: /",
            "  intervalSeconds: " + INTERVAL,
            "  timeoutSeconds: 1",
            "  fallThreshold: " + FALL,
            "  riseThreshold: " + RISE)),
        Manifests.virtualService("dr-hc", VIP, "DirectRouting", "rr", "web-hc", List.of())));
    lab.await("both real servers in service at weight 1", CONVERGE, () -> weight(lab, victim) == 1 && weight(lab, survivor) == 1);

    lab.web().kill(victim.name());
    Duration out = lab.await(victim.name() + " at weight 0 after its httpd died", BOUND, () -> weight(lab, victim) == 0);
    lab.results().sample("recovery: RS httpd killed → weight 0", out);
    Client.Tally during = Client.Tally.of(Client.requests(VIP, WebServers.PORT, 6));
    assertThat(during.failed()).as("requests while %s is down", victim.name()).isZero();
    assertThat(during.byServer()).as("only the healthy server answers").containsOnlyKeys(survivor.name());

    lab.web().restart(victim);
    Duration back = lab.await(victim.name() + " back at weight 1 after rise", BOUND, () -> weight(lab, victim) == 1);
    lab.results().sample("recovery: RS httpd back → weight restored", back);
    Client.Tally after = Client.Tally.of(Client.requests(VIP, WebServers.PORT, 6));
    assertThat(after.byServer()).containsOnlyKeys(survivor.name(), victim.name());
    lab.results().figure("out " + DirectRoutingE2eTest.seconds(out) + " after kill (bound " + BOUND.toSeconds() + "s), back " + DirectRoutingE2eTest.seconds(back) + " after restart; "
        + "during outage " + during.byServer() + " 0 failed");
  }

  static int weight(Lab lab, LabNode rs) {
    return Ipvsadm.service(lab.director().ns(), tcp(VIP, WebServers.PORT))
        .flatMap(s -> s.destination(rs.address() + ":80"))
        .map(Ipvsadm.Destination::weight)
        .orElse(-1);
  }
}
