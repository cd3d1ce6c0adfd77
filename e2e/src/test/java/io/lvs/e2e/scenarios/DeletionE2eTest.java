package io.lvs.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.KernelSnapshot;
import io.lvs.e2e.lab.Lab;
import io.lvs.e2e.lab.Manifests;
import io.lvs.e2e.lab.WebServers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Deleting the resources leaves every node's kernel exactly as before: IPVS table, addresses,
 * links, routes, the sysctls the product may touch and nftables, compared with the snapshot taken
 * before any agent ran.
 */
@Order(3)
class DeletionE2eTest extends Scenario {
  @Test
  @DisplayName("deletion: DR + NAT services deleted leave every kernel as before (snapshot diff empty)")
  void deletionRestoresKernel(Lab lab) {
    KernelSnapshot before = lab.baseline();
    lab.kube().apply(Manifests.pair(
        Manifests.nodePool("web", List.of()),
        Manifests.virtualService("dr-web", DirectRoutingE2eTest.VIP, "DirectRouting", "rr", "web", List.of())));
    lab.kube().apply(Manifests.virtualService("nat-web", NatE2eTest.VIP, "NAT", "rr", "web", List.of()));
    lab.await("both services programmed", CONVERGE, () -> {
      List<Ipvsadm.Service> t = Ipvsadm.table(lab.director().ns());
      return t.size() == 2 && t.stream().allMatch(s -> s.destinations().size() == 2);
    });
    Client.Tally tally = Client.Tally.of(Client.requests(DirectRoutingE2eTest.VIP, WebServers.PORT, 4));
    assertThat(tally.failed()).isZero();
    List<String> changed = before.diff(lab.snapshot());
    assertThat(changed).as("programming changed the kernel").isNotEmpty();

    lab.kube().delete("VirtualService", "dr-web", CONVERGE);
    lab.kube().delete("VirtualService", "nat-web", CONVERGE);
    lab.kube().delete("RealServerPool", "web", CONVERGE);
    Duration restored = lab.await("every node's kernel back to the snapshot taken before the agents ran", CONVERGE,
        () -> before.diff(lab.snapshot()).isEmpty(), () -> String.join("\n", before.diff(lab.snapshot())));
    lab.results().sample("deletion: delete → kernel as before", restored);
    lab.results().figure(changed.size() + " kernel lines added while programmed, 0 left "
        + DirectRoutingE2eTest.seconds(restored) + " after delete");
  }
}
