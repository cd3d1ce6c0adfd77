package io.lvs.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.Lab;
import io.lvs.e2e.lab.Manifests;
import io.lvs.e2e.lab.WebServers;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** ipvsadm -p: with persistence one client stays on one real server although the scheduler is rr. */
@Order(8)
class PersistenceE2eTest extends Scenario {
  static final String VIP = "198.18.0.208";

  @Test
  @DisplayName("persistence: timeoutSeconds 300 keeps the client on one real server (rr otherwise alternates)")
  void persistence(Lab lab) {
    lab.kube().apply(Manifests.pair(
        Manifests.nodePool("web-persist", List.of()),
        Manifests.virtualService("dr-persist", VIP, "DirectRouting", "rr", "web-persist",
            List.of("persistence:", "  timeoutSeconds: 300"))));
    lab.await("persistent service (-p 300) with both real servers", CONVERGE, () ->
        Ipvsadm.service(lab.director().ns(), tcp(VIP, WebServers.PORT))
            .filter(s -> s.persistence().filter(p -> p.equals("300")).isPresent() && s.destinations().size() == 2)
            .isPresent());
    Client.Tally tally = Client.Tally.of(Client.requests(VIP, WebServers.PORT, 10));
    assertThat(tally.failed()).isZero();
    assertThat(tally.byServer()).as("one client, one real server").hasSize(1);
    lab.results().figure("10 requests all on " + tally.byServer().keySet());
  }
}
