package io.lvs.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.IpvsTimeoutsSpec;
import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.LvsNodeConfigSpec;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.NodeTimeouts;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.StaticMember;
import io.lvs.api.v1alpha1.TimeoutsReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LvsNodeConfig on the real kube-apiserver 1.20.2 with the operator running: the configuration's
 * timeouts reach the first slice of each node it selects, its status follows the agents' reports,
 * a second configuration selecting one of the nodes is a Conflict in both (naming the other and
 * the node) while that node keeps what it had, deleting a configuration moves or removes the
 * timeouts, and a spec only CEL refuses (1.20 stores it) is refused by the operator by field.
 */
class LvsNodeConfigApiServerTest {
  @RegisterExtension static final OperatorRun RUN = new OperatorRun();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static LvsNodeConfig config(String name, Map<String, String> selector, IpvsTimeoutsSpec t) {
    LvsNodeConfig c = new LvsNodeConfig();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    c.setSpec(new LvsNodeConfigSpec(selector, t));
    return c;
  }

  private static NodeTimeouts timeoutsOf(KubernetesClient client, String node) {
    LvsNodeState s = client.resources(LvsNodeState.class).withName(node).get();
    return s == null || s.getSpec() == null ? null : s.getSpec().timeouts();
  }

  private static String condition(KubernetesClient client, String config, String type) {
    LvsNodeConfig c = client.resources(LvsNodeConfig.class).withName(config).get();
    if (c == null || c.getStatus() == null || c.getStatus().conditions() == null) {
      return null;
    }
    return c.getStatus().conditions().stream().filter(x -> type.equals(x.getType())).findFirst()
        .map(x -> x.getStatus() + " " + x.getReason() + ": " + x.getMessage()).orElse(null);
  }

  /** What the agent writes after setting them: this slice's generation, the config, applied. */
  private static void agentApplied(Fixtures fx, String node, String config) {
    fx.agentWritesStatus(node, s -> new LvsNodeStateStatus(s.getMetadata().getGeneration(), null, null, null, null,
        new TimeoutsReport(config, true, 600, 120, 120, null)));
  }

  /**
   * The node-state sync's first plan waits for the VirtualService controller's first reconcile
   * (StartupHold; without any VirtualService, up to 180 s): one that directs nowhere releases it.
   */
  @BeforeAll
  static void aVirtualServiceReleasesTheStartupHold() {
    Fixtures fx = new Fixtures(RUN.client());
    fx.namespace("nc");
    fx.pool("nc", "p", new RealServerPoolSpec(null, null, null, List.of(new StaticMember("192.0.2.40", 80, null)),
        null, null, null, null, null));
    fx.virtualService("nc", "web", Fixtures.spec("10.0.40.1", 80, Forwarding.DirectRouting, "p", "nc/no-director"));
  }

  @Test
  void timeoutsReachTheSelectedNodesAndConflictsAreReportedInBothNotResolved() {
    KubernetesClient client = RUN.client();
    Fixtures fx = new Fixtures(client);
    fx.node("nc-d1", "192.168.40.1", true, Map.of("nc/role", "dir", "nc/zone", "a"));
    fx.node("nc-d2", "192.168.40.2", true, Map.of("nc/role", "dir"));
    fx.node("nc-w1", "192.168.40.3", true, Map.of("nc/role", "web"));
    NodeTimeouts dirs = new NodeTimeouts("nc-dirs", 600, null, 120);

    client.resource(config("nc-dirs", Map.of("nc/role", "dir"), new IpvsTimeoutsSpec(600, null, 120))).create();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(timeoutsOf(client, "nc-d1")).isEqualTo(dirs);
      assertThat(timeoutsOf(client, "nc-d2")).isEqualTo(dirs);
      assertThat(condition(client, "nc-dirs", "Applied")).isEqualTo("False Pending: 0/2 nodes applied");
    });
    assertThat(timeoutsOf(client, "nc-w1")).isNull();

    agentApplied(fx, "nc-d1", "nc-dirs");
    agentApplied(fx, "nc-d2", "nc-dirs");
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(condition(client, "nc-dirs", "Applied")).isEqualTo("True Applied: 2/2 nodes applied");
      assertThat(client.resources(LvsNodeConfig.class).withName("nc-dirs").get().getStatus().appliedNodes()).isEqualTo(2);
    });

    // a second configuration on nc-d1: reported in both, nc-d1 keeps nc-dirs' timeouts
    client.resource(config("nc-zone", Map.of("nc/zone", "a"), new IpvsTimeoutsSpec(100, null, null))).create();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(condition(client, "nc-dirs", "Conflict"))
          .startsWith("True SelectorOverlap: node nc-d1 is also selected by LvsNodeConfig nc-zone");
      assertThat(condition(client, "nc-zone", "Conflict"))
          .startsWith("True SelectorOverlap: node nc-d1 is also selected by LvsNodeConfig nc-dirs");
      assertThat(client.resources(LvsNodeConfig.class).withName("nc-zone").get().getStatus().nodes())
          .singleElement().satisfies(r -> assertThat(r.state()).isEqualTo("Conflict"));
    });
    assertThat(timeoutsOf(client, "nc-d1")).isEqualTo(dirs);
    assertThat(timeoutsOf(client, "nc-d2")).isEqualTo(dirs);

    // nc-dirs goes: nc-d1 is nc-zone's alone, nc-d2 has none any more (the field is removed)
    client.resources(LvsNodeConfig.class).withName("nc-dirs").delete();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(timeoutsOf(client, "nc-d1")).isEqualTo(new NodeTimeouts("nc-zone", 100, null, null));
      assertThat(timeoutsOf(client, "nc-d2")).isNull();
      assertThat(condition(client, "nc-zone", "Conflict")).startsWith("False NoConflict");
    });
    client.resources(LvsNodeConfig.class).withName("nc-zone").delete();
    await().atMost(WAIT).untilAsserted(() -> assertThat(timeoutsOf(client, "nc-d1")).isNull());
  }

  @Test
  void aSpecOnlyCelRefusesIsStoredBy120AndRefusedByTheOperatorNamingTheField() {
    KubernetesClient client = RUN.client();
    client.resource(config("nc-empty", Map.of("nc/none", "x"), new IpvsTimeoutsSpec(null, null, null))).create();
    await().atMost(WAIT).untilAsserted(() -> assertThat(condition(client, "nc-empty", "Applied"))
        .isEqualTo("False InvalidSpec: spec.timeouts: {} is invalid: at least one of tcpSeconds, tcpFinSeconds, udpSeconds is required"));
    client.resources(LvsNodeConfig.class).withName("nc-empty").delete();
  }
}
