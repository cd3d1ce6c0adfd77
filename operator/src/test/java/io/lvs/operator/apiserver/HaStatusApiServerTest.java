package io.lvs.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LastFailover;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.StaticMember;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two directors elect the VIP's holder through their Lease {@code lvs-ha-vip-<vip>} (written here
 * as their agents write it): the VirtualService's status names the active director and the last
 * failover, each failover is an Event with the agent's reason, and the operator counts it.
 */
class HaStatusApiServerTest {
  @RegisterExtension static final OperatorRun RUN = new OperatorRun();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NS = "ha";
  private static final String LEASE = "lvs-ha-vip-10-0-9-100";

  @Test
  void theDirectorsLeaseGivesActiveDirectorLastFailoverAnEventPerFailoverAndTheCount() {
    KubernetesClient client = RUN.client();
    Fixtures fx = new Fixtures(client);
    fx.namespace(NS);
    fx.node("ha-d1", "192.168.9.1", true, Map.of("lvs/ha-director", "true"));
    fx.node("ha-d2", "192.168.9.2", true, Map.of("lvs/ha-director", "true"));
    fx.pool(NS, "web", new RealServerPoolSpec(null, null, null, List.of(new StaticMember("192.0.2.91", 80, null)),
        null, null, null, null, null));
    fx.virtualService(NS, "web", Fixtures.spec("10.0.9.100", 80, Forwarding.DirectRouting, "web", "lvs/ha-director"));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(fx.nodeState("ha-d2")).isNotNull();
      assertThat(fx.nodeState("ha-d2").getSpec().vipCandidates()).hasSize(1);
      assertThat(status(client)).isNotNull();
    });
    assertThat(status(client).activeDirector()).isNull();

    // ha-d1's agent takes the VIP first: nobody held it before, so no failover yet
    client.leases().inNamespace(OperatorRun.NAMESPACE).resource(new LeaseBuilder().withNewMetadata().withName(LEASE)
        .addToLabels("lvs.io/role", "ha-vip").addToAnnotations("lvs.io/vip", "10.0.9.100").endMetadata()
        .withNewSpec().withHolderIdentity("ha-d1").withLeaseDurationSeconds(3).endSpec().build()).create();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(status(client).activeDirector()).isEqualTo("ha-d1");
      assertThat(status(client).nodes().activeDirector()).isEqualTo("ha-d1");
      assertThat(status(client).lastFailover()).isNull();
    });

    takeover("ha-d2", "2026-12-03T20:00:01Z", "ha-d1", "HolderLost");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(status(client).activeDirector()).isEqualTo("ha-d2");
      assertThat(status(client).lastFailover())
          .isEqualTo(new LastFailover("2026-12-03T20:00:01Z", "ha-d1", "ha-d2", "HolderLost"));
      assertThat(failoverEvents(client)).extracting(Event::getReason).containsExactly("HolderLost");
      assertThat(failoverEvents(client).get(0).getMessage())
          .isEqualTo("VIP 10.0.9.100 moved from ha-d1 to ha-d2 at 2026-12-03T20:00:01Z (HolderLost)");
    });
    // the preferred director comes back and takes it again
    takeover("ha-d1", "2026-12-03T20:00:09Z", "ha-d2", "Preempted");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(status(client).activeDirector()).isEqualTo("ha-d1");
      assertThat(failoverEvents(client)).extracting(Event::getReason).containsExactlyInAnyOrder("HolderLost", "Preempted");
    });
    assertThat(RUN.counter("lvs_operator_ha_failovers", "vip", "10.0.9.100", "reason", "HolderLost")).isEqualTo(1.0);
    assertThat(RUN.counter("lvs_operator_ha_failovers", "vip", "10.0.9.100")).isEqualTo(2.0);
  }

  /** What the new holder's agent writes at takeover: itself as holder, and the failover annotations. */
  private static void takeover(String to, String time, String from, String reason) {
    RUN.client().leases().inNamespace(OperatorRun.NAMESPACE).withName(LEASE).edit(l -> new LeaseBuilder(l)
        .editMetadata().addToAnnotations(Map.of("lvs.io/failover-time", time, "lvs.io/failover-from", from,
            "lvs.io/failover-reason", reason)).endMetadata()
        .editSpec().withHolderIdentity(to).endSpec().build());
  }

  private static VirtualServiceStatus status(KubernetesClient client) {
    VirtualService vs = client.resources(VirtualService.class).inNamespace(NS).withName("web").get();
    return vs == null ? null : vs.getStatus();
  }

  private static List<Event> failoverEvents(KubernetesClient client) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> e.getMessage() != null && e.getMessage().startsWith("VIP 10.0.9.100 moved")).toList();
  }
}
