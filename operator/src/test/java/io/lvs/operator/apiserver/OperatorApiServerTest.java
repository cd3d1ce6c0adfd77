package io.lvs.operator.apiserver;

import static io.lvs.operator.apiserver.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lvs.api.v1alpha1.DestinationReport;
import io.lvs.api.v1alpha1.DirectorHealth;
import io.lvs.api.v1alpha1.Drain;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.HealthCheck;
import io.lvs.api.v1alpha1.HealthCheckType;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.MemberStatus;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeHaPeer;
import io.lvs.api.v1alpha1.NodeVipCandidate;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeMembers;
import io.lvs.api.v1alpha1.NodeSnat;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.OwnerReport;
import io.lvs.api.v1alpha1.PodMembers;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.ResolvedRealServer;
import io.lvs.api.v1alpha1.ServiceMembers;
import io.lvs.api.v1alpha1.ServiceReport;
import io.lvs.api.v1alpha1.StaticMember;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.discovery.EndpointSliceApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator against a real kube-apiserver 1.20.2: each member source, drain, nodes, conflict, finalizer, status. */
class OperatorApiServerTest {
  @RegisterExtension static final OperatorRun RUN = new OperatorRun();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private KubernetesClient client;
  private Fixtures fx;

  @BeforeEach
  void setUp() {
    client = RUN.client();
    fx = new Fixtures(client);
  }

  private static RealServerPoolSpec statics(List<StaticMember> members) {
    return new RealServerPoolSpec(null, null, null, members, null, null, null, null, null);
  }

  private List<NodeDestination> destinations(String node, String owner) {
    LvsNodeState s = fx.nodeState(node);
    if (s == null || s.getSpec() == null || s.getSpec().services() == null) {
      return List.of();
    }
    return s.getSpec().services().stream().filter(x -> owner.equals(x.owner()))
        .flatMap(x -> x.destinations().stream()).toList();
  }

  private List<NodeAddress> addresses(String node) {
    LvsNodeState s = fx.nodeState(node);
    return s == null || s.getSpec() == null || s.getSpec().addresses() == null ? List.of() : s.getSpec().addresses();
  }

  private Condition condition(String ns, String name, String type) {
    VirtualService vs = client.resources(VirtualService.class).inNamespace(ns).withName(name).get();
    if (vs == null || vs.getStatus() == null || vs.getStatus().conditions() == null) {
      return null;
    }
    return vs.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private String conditionText(String ns, String name, String type) {
    Condition c = condition(ns, name, type);
    return c == null ? null : c.getStatus() + " " + c.getReason() + ": " + c.getMessage();
  }

  @Test
  void staticMembersProgramEveryDirectorBothAreVipCandidatesAndStatusFollowsAgentReports() {
    fx.namespace("static");
    fx.node("s-d1", "192.168.1.1", true, Map.of("lvs/s-director", "true"));
    fx.node("s-d2", "192.168.1.2", true, Map.of("lvs/s-director", "true"));
    fx.pool("static", "web", statics(List.of(new StaticMember("192.0.2.1", 80, null), new StaticMember("192.0.2.2", 80, 3))));
    fx.virtualService("static", "web", spec("10.0.1.100", 80, Forwarding.DirectRouting, "web", "lvs/s-director"));

    await().atMost(WAIT).untilAsserted(() -> {
      for (String d : List.of("s-d1", "s-d2")) {
        assertThat(destinations(d, "static/web")).extracting(NodeDestination::address, NodeDestination::weight)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("192.0.2.1", 1), org.assertj.core.groups.Tuple.tuple("192.0.2.2", 3));
      }
      // two directors: their agents elect the holder; the operator names none and keeps no Lease
      for (String d : List.of("s-d1", "s-d2")) {
        assertThat(addresses(d)).isEmpty();
        assertThat(fx.nodeState(d).getSpec().vipCandidates()).singleElement().satisfies(c -> {
          assertThat(c.address()).isEqualTo("10.0.1.100");
          assertThat(c.directors()).extracting(NodeHaPeer::nodeName).containsExactly("s-d1", "s-d2");
        });
      }
    });
    assertThat(client.leases().inNamespace(OperatorRun.NAMESPACE).withName("lvs-vip-10-0-1-100").get()).isNull();
    await().atMost(WAIT).until(() -> Objects.equals(conditionText("static", "web", "Programmed"), "False NodesPending: 0/2 nodes"));

    fx.agentReports("s-d1", List.of(new OwnerReport("static/web", true, null)));
    fx.agentReports("s-d2", List.of(new OwnerReport("static/web", true, null)));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(conditionText("static", "web", "Ready")).isEqualTo("True Ready: 2/2 real servers ready on 2/2 nodes");
      VirtualService vs = client.resources(VirtualService.class).inNamespace("static").withName("web").get();
      assertThat(vs.getStatus().nodes().activeDirector()).isNull(); // no agent has taken the VIP's Lease
      assertThat(vs.getStatus().observedGeneration()).isEqualTo(vs.getMetadata().getGeneration());
      assertThat(vs.getStatus().readyRealServers()).isEqualTo("2/2");
    });

    fx.agentReports("s-d2", List.of(new OwnerReport("static/web", false, List.of("add service TCP 10.0.1.100:80: ENOMEM"))));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(conditionText("static", "web", "Degraded")).isEqualTo("True NodeError: s-d2: add service TCP 10.0.1.100:80: ENOMEM");
      assertThat(conditionText("static", "web", "Programmed")).isEqualTo("False NodesPending: 1/2 nodes");
    });
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.v1().events().inNamespace("static").list().getItems())
        .extracting(Event::getReason).contains("Ready", "NodeError"));
  }

  @Test
  void aMemberFailingADirectorsHealthCheckShowsInThePoolAndTheVirtualService() {
    fx.namespace("health");
    fx.node("h-d1", "192.168.8.1", true, Map.of("lvs/h-director", "true"));
    fx.node("h-d2", "192.168.8.2", true, Map.of("lvs/h-director", "true"));
    fx.pool("health", "web", new RealServerPoolSpec(null, null, null,
        List.of(new StaticMember("192.0.2.51", 8080, null), new StaticMember("192.0.2.52", 8080, null)), null, null, null,
        new HealthCheck(HealthCheckType.TCP, null, null, null, null, null, null, null), null));
    fx.virtualService("health", "web", spec("10.0.8.100", 80, Forwarding.NAT, "web", "lvs/h-director"));
    await().atMost(WAIT).until(() -> destinations("h-d1", "health/web").size() == 2
        && destinations("h-d2", "health/web").size() == 2);

    // the agents' reports as StatusBuilder writes them: d1's checks find .51 failing, d2's find all well
    String since = "2026-01-01T10:05:00Z";
    for (String d : List.of("h-d1", "h-d2")) {
      boolean failing = d.equals("h-d1");
      fx.agentWritesStatus(d, s -> new LvsNodeStateStatus(s.getMetadata().getGeneration(), null, null,
          List.of(new OwnerReport("health/web", true, null)),
          List.of(new ServiceReport("health/web", "TCP 10.0.8.100:80", true, null, List.of(
              new DestinationReport("192.0.2.51", 8080, failing ? 0 : 1, failing ? "Unhealthy" : "Healthy", 0L, 0L, 0L,
                  0L, 0L, 0L, 0L, since, failing ? "connect 192.0.2.51:8080: Connection refused" : null),
              new DestinationReport("192.0.2.52", 8080, 1, "Healthy", 0L, 0L, 0L, 0L, 0L, 0L, 0L, since, null)),
              0L, 0L, 0L, 0L, 0L))));
    }

    await().atMost(WAIT).untilAsserted(() -> {
      RealServerPool pool = client.resources(RealServerPool.class).inNamespace("health").withName("web").get();
      MemberStatus m51 = pool.getStatus().members().stream().filter(m -> m.address().equals("192.0.2.51")).findFirst()
          .orElseThrow();
      assertThat(m51.health()).isEqualTo("Unhealthy");
      assertThat(m51.directors()).containsExactly(
          new DirectorHealth("h-d1", "Unhealthy", since, "connect 192.0.2.51:8080: Connection refused"),
          new DirectorHealth("h-d2", "Healthy", since, null));
      MemberStatus m52 = pool.getStatus().members().stream().filter(m -> m.address().equals("192.0.2.52")).findFirst()
          .orElseThrow();
      assertThat(m52.health()).isEqualTo("Healthy");

      VirtualService vs = client.resources(VirtualService.class).inNamespace("health").withName("web").get();
      assertThat(vs.getStatus().realServers()).extracting(ResolvedRealServer::address, ResolvedRealServer::ready,
              ResolvedRealServer::health)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("192.0.2.51", false, "Unhealthy"),
              org.assertj.core.groups.Tuple.tuple("192.0.2.52", true, "Healthy"));
      assertThat(vs.getStatus().readyRealServers()).isEqualTo("1/2");
      assertThat(conditionText("health", "web", "Degraded")).isEqualTo("True MembersUnhealthy: excluded by health"
          + " checks (weight 0 on those directors): 192.0.2.51:8080 on h-d1 since " + since
          + ": connect 192.0.2.51:8080: Connection refused");
      assertThat(conditionText("health", "web", "Ready")).startsWith("True Ready: 1/2 real servers ready");
    });

    // d1's checks see it rise again: the pool and the VirtualService follow
    fx.agentWritesStatus("h-d1", s -> new LvsNodeStateStatus(s.getMetadata().getGeneration(), null, null,
        List.of(new OwnerReport("health/web", true, null)),
        List.of(new ServiceReport("health/web", "TCP 10.0.8.100:80", true, null, List.of(
            new DestinationReport("192.0.2.51", 8080, 1, "Healthy", 0L, 0L, 0L, 0L, 0L, 0L, 0L, "2026-01-01T10:07:00Z",
                "connect 192.0.2.51:8080: Connection refused"),
            new DestinationReport("192.0.2.52", 8080, 1, "Healthy", 0L, 0L, 0L, 0L, 0L, 0L, 0L, since, null)),
            0L, 0L, 0L, 0L, 0L))));
    await().atMost(WAIT).untilAsserted(() -> {
      RealServerPool pool = client.resources(RealServerPool.class).inNamespace("health").withName("web").get();
      assertThat(pool.getStatus().members()).extracting(MemberStatus::health).containsExactly("Healthy", "Healthy");
      assertThat(conditionText("health", "web", "Degraded")).startsWith("False NoErrors");
      assertThat(client.resources(VirtualService.class).inNamespace("health").withName("web").get().getStatus()
          .readyRealServers()).isEqualTo("2/2");
    });
  }

  @Test
  void podSelectorMembersFlipWithReadinessAndADrainedPodLeavesAfterItsGracePeriod() {
    fx.namespace("pods");
    fx.node("p-d1", "192.168.2.1", true, Map.of("lvs/p-director", "true"));
    fx.node("p-w1", "192.168.2.11", true, Map.of());
    fx.pod("pods", "a", "10.2.0.1", "p-w1", true, Map.of("app", "web"));
    fx.pod("pods", "b", "10.2.0.2", "p-w1", true, Map.of("app", "web"));
    fx.pod("pods", "other", "10.2.0.3", "p-w1", true, Map.of("app", "db"));
    fx.pool("pods", "web", new RealServerPoolSpec(null, new PodMembers(Map.of("app", "web"), 8080), null, null, 2, null,
        null, null, new Drain(3)));
    fx.virtualService("pods", "web", spec("10.0.2.100", 80, Forwarding.NAT, "web", "lvs/p-director"));

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(destinations("p-d1", "pods/web")).extracting(NodeDestination::address, NodeDestination::port, NodeDestination::weight)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("10.2.0.1", 8080, 2), org.assertj.core.groups.Tuple.tuple("10.2.0.2", 8080, 2));
      assertThat(fx.nodeState("p-d1").getSpec().sysctls()).contains(new NodeSysctl("pods/web", "net.ipv4.ip_forward", "1"));
    });

    long flipped = System.nanoTime();
    fx.podReady("pods", "b", false);
    await().atMost(WAIT).untilAsserted(() -> assertThat(destinations("p-d1", "pods/web"))
        .extracting(NodeDestination::address, NodeDestination::weight, NodeDestination::draining)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("10.2.0.1", 2, null), org.assertj.core.groups.Tuple.tuple("10.2.0.2", 0, true)));
    assertThat(Duration.ofNanos(System.nanoTime() - flipped)).isLessThan(Duration.ofSeconds(3));
    await().atMost(WAIT).until(() -> destinations("p-d1", "pods/web").size() == 1);
    Duration drained = Duration.ofNanos(System.nanoTime() - flipped);
    assertThat(drained).isGreaterThanOrEqualTo(Duration.ofMillis(2900)).isLessThan(Duration.ofSeconds(10));

    fx.podReady("pods", "b", true);
    await().atMost(WAIT).until(() -> destinations("p-d1", "pods/web").size() == 2);
  }

  @Test
  void nodeSelectorMembersGetTheVipOnLoAndASecondDirectorTurnsTheVipIntoAnElection() {
    fx.namespace("nodes");
    fx.node("n-d1", "192.168.3.1", true, Map.of("lvs/n-director", "true"));
    fx.node("n-w1", "192.168.3.11", true, Map.of("lvs/n-rs", "true"));
    fx.node("n-w2", "192.168.3.12", true, Map.of("lvs/n-rs", "true"));
    fx.pool("nodes", "hosts", new RealServerPoolSpec(null, null, new NodeMembers(Map.of("lvs/n-rs", "true"), 80, null),
        null, null, null, null, null, new Drain(0)));
    fx.virtualService("nodes", "web", spec("10.0.3.100", 80, Forwarding.DirectRouting, "hosts", "lvs/n-director"));

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(destinations("n-d1", "nodes/web")).extracting(NodeDestination::address)
          .containsExactly("192.168.3.11", "192.168.3.12");
      for (String w : List.of("n-w1", "n-w2")) {
        assertThat(addresses(w)).containsExactly(new NodeAddress("nodes/web", "10.0.3.100", 32, "lo", false));
        assertThat(fx.nodeState(w).getSpec().sysctls()).extracting(NodeSysctl::key)
            .contains("net.ipv4.conf.all.arp_ignore", "net.ipv4.conf.lo.arp_announce");
      }
    });
    // a real server node goes NotReady: out of the destinations, and its node keeps nothing
    fx.nodeReady("n-w2", false);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(destinations("n-d1", "nodes/web")).extracting(NodeDestination::address).containsExactly("192.168.3.11");
      LvsNodeStateSpec w2 = fx.nodeState("n-w2").getSpec();
      assertThat(w2.addresses()).isEmpty();
      assertThat(w2.sysctls()).isEmpty();
    });
    // one director: it holds the VIP, recorded in the operator's Lease
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(addresses("n-d1")).extracting(NodeAddress::address).containsExactly("10.0.3.100");
      assertThat(client.leases().inNamespace(OperatorRun.NAMESPACE).withName("lvs-vip-10-0-3-100").get()
          .getSpec().getHolderIdentity()).isEqualTo("n-d1");
      assertThat(client.resources(VirtualService.class).inNamespace("nodes").withName("web").get().getStatus()
          .activeDirector()).isEqualTo("n-d1");
    });
    // a second director joins: both get the rules and a candidacy for the VIP, the agents elect
    // the holder, and the operator's Lease goes
    fx.node("n-d2", "192.168.3.2", true, Map.of("lvs/n-director", "true"));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(destinations("n-d2", "nodes/web")).hasSize(1);
      for (String d : List.of("n-d1", "n-d2")) {
        assertThat(addresses(d)).isEmpty();
        assertThat(fx.nodeState(d).getSpec().vipCandidates()).extracting(NodeVipCandidate::address).containsExactly("10.0.3.100");
      }
      assertThat(client.leases().inNamespace(OperatorRun.NAMESPACE).withName("lvs-vip-10-0-3-100").get()).isNull();
    });
    // n-d1 turns NotReady: its candidacy goes, n-d2 stays one (n-d1 still named), no operator Lease
    fx.nodeReady("n-d1", false);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(fx.nodeState("n-d1").getSpec().vipCandidates()).isNullOrEmpty();
      assertThat(fx.nodeState("n-d2").getSpec().vipCandidates()).singleElement().satisfies(c -> assertThat(c.directors())
          .extracting(NodeHaPeer::nodeName).containsExactly("n-d1", "n-d2"));
      assertThat(addresses("n-d2")).isEmpty();
      assertThat(client.leases().inNamespace(OperatorRun.NAMESPACE).withName("lvs-vip-10-0-3-100").get()).isNull();
    });
  }

  private static EndpointSlice slice(String ns, String name, String service, List<String> ready, List<String> terminating) {
    EndpointSliceBuilder b = new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).addToLabels("kubernetes.io/service-name", service).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("https").withPort(8443).withProtocol("TCP").endPort();
    ready.forEach(ip -> b.addNewEndpoint().withAddresses(ip).withNodeName("e-w1")
        .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions().endEndpoint());
    terminating.forEach(ip -> b.addNewEndpoint().withAddresses(ip).withNodeName("e-w1")
        .withNewConditions().withReady(false).withServing(true).withTerminating(true).endConditions().endEndpoint());
    return b.build();
  }

  @Test
  void endpointSliceMembersFromServiceRefTerminatingEndpointsAreDrainedFullNatGetsSnat() {
    // this server serves discovery.k8s.io/v1 (the stand-in CRD): the operator reads v1 here
    assertThat(EndpointSliceApi.discover(client)).isEqualTo(EndpointSliceApi.V1);
    fx.namespace("slices");
    fx.node("e-d1", "192.168.4.1", true, Map.of("lvs/e-director", "true"));
    client.resource(slice("slices", "web-abc", "web", List.of("10.4.0.1", "10.4.0.2"), List.of())).create();
    client.resource(slice("slices", "api-abc", "api", List.of("10.4.9.9"), List.of())).create();
    fx.pool("slices", "web", new RealServerPoolSpec(new ServiceMembers("web", null, null), null, null, null, null, null,
        null, null, new Drain(30)));
    fx.virtualService("slices", "web", spec("10.0.4.100", 443, Forwarding.FullNAT, "web", "lvs/e-director"));

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(destinations("e-d1", "slices/web")).extracting(NodeDestination::address, NodeDestination::port)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("10.4.0.1", 8443), org.assertj.core.groups.Tuple.tuple("10.4.0.2", 8443));
      assertThat(fx.nodeState("e-d1").getSpec().snat()).extracting(NodeSnat::realServers, NodeSnat::toSource)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(List.of("10.4.0.1", "10.4.0.2"), "192.168.4.1"));
      assertThat(fx.nodeState("e-d1").getSpec().sysctls()).extracting(NodeSysctl::key).contains("net.ipv4.vs.conntrack");
    });
    String rv = fx.nodeState("e-d1").getMetadata().getResourceVersion();
    long t0 = System.nanoTime();
    client.resource(slice("slices", "web-abc", "web", List.of("10.4.0.1"), List.of("10.4.0.2"))).update();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertThat(destinations("e-d1", "slices/web"))
        .extracting(NodeDestination::address, NodeDestination::weight, NodeDestination::draining)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("10.4.0.1", 1, null), org.assertj.core.groups.Tuple.tuple("10.4.0.2", 0, true)));
    System.out.printf("endpointslice change -> node object updated in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(fx.nodeState("e-d1").getMetadata().getResourceVersion()).isNotEqualTo(rv);
    // the other Service's slice changing wakes nothing: the pool's status stays as it was
    RealServerPool before = client.resources(RealServerPool.class).inNamespace("slices").withName("web").get();
    client.resource(slice("slices", "api-abc", "api", List.of("10.4.9.8"), List.of())).update();
    sleep(1000);
    assertThat(client.resources(RealServerPool.class).inNamespace("slices").withName("web").get().getMetadata().getResourceVersion())
        .isEqualTo(before.getMetadata().getResourceVersion());
  }

  @Test
  void theOlderVirtualServiceKeepsAContestedVipTheNewerReportsConflictAndTakesOverWhenItGoes() {
    fx.namespace("conflict");
    fx.node("c-d1", "192.168.5.1", true, Map.of("lvs/c-director", "true"));
    fx.pool("conflict", "p", statics(List.of(new StaticMember("192.0.2.5", 80, null))));
    fx.virtualService("conflict", "old", spec("10.0.5.100", 80, Forwarding.DirectRouting, "p", "lvs/c-director"));
    await().atMost(WAIT).until(() -> !destinations("c-d1", "conflict/old").isEmpty());
    sleep(1100); // creationTimestamp has one-second resolution
    fx.virtualService("conflict", "new", spec("10.0.5.100", 80, Forwarding.NAT, "p", "lvs/c-director"));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(conditionText("conflict", "new", "Conflict"))
          .isEqualTo("True AddressInUse: 10.0.5.100:80/TCP is held by VirtualService conflict/old");
      assertThat(conditionText("conflict", "new", "Ready")).startsWith("False Conflict");
      assertThat(conditionText("conflict", "old", "Conflict")).startsWith("False NoConflict");
    });
    assertThat(fx.nodeState("c-d1").getSpec().services()).extracting(NodeIpvsService::owner).containsExactly("conflict/old");
    client.resources(VirtualService.class).inNamespace("conflict").withName("old").delete();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(fx.nodeState("c-d1").getSpec().services()).extracting(NodeIpvsService::owner).containsExactly("conflict/new");
      assertThat(conditionText("conflict", "new", "Conflict")).startsWith("False NoConflict");
    });
  }

  @Test
  void deletingAVirtualServiceWaitsForTheAgentsAndDoesNotWaitForANodeThatIsGone() {
    fx.namespace("fin");
    fx.node("f-d1", "192.168.6.1", true, Map.of("lvs/f-director", "true"));
    fx.node("f-gone", "192.168.6.2", true, Map.of("lvs/f-director", "true"));
    fx.pool("fin", "p", statics(List.of(new StaticMember("192.0.2.6", 80, null))));
    fx.virtualService("fin", "web", spec("10.0.6.100", 80, Forwarding.DirectRouting, "p", "lvs/f-director"));
    await().atMost(WAIT).until(() -> !destinations("f-d1", "fin/web").isEmpty() && !destinations("f-gone", "fin/web").isEmpty());
    fx.agentReports("f-d1", List.of(new OwnerReport("fin/web", true, null)));
    fx.agentReports("f-gone", List.of(new OwnerReport("fin/web", true, null)));
    VirtualService vs = client.resources(VirtualService.class).inNamespace("fin").withName("web").get();
    assertThat(vs.getMetadata().getFinalizers()).isNotEmpty();

    client.nodes().withName("f-gone").delete();
    client.resources(VirtualService.class).inNamespace("fin").withName("web").delete();
    // its entries leave the node objects at once...
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(destinations("f-d1", "fin/web")).isEmpty();
      assertThat(fx.nodeState("f-d1").getSpec().services()).isEmpty();
      assertThat(addresses("f-d1")).isEmpty();
    });
    // ...the object of the node that is gone is removed, it does not hold the deletion...
    await().atMost(WAIT).until(() -> fx.nodeState("f-gone") == null);
    // ...but the live node's agent still reports the owner in its kernel: the finalizer waits
    sleep(2000);
    assertThat(client.resources(VirtualService.class).inNamespace("fin").withName("web").get()).isNotNull();
    fx.agentReports("f-d1", List.of());
    await().atMost(WAIT).until(() -> client.resources(VirtualService.class).inNamespace("fin").withName("web").get() == null);
  }

  @Test
  void aNodeObjectIsWrittenOnlyWhenItsContentChanges() throws Exception {
    fx.namespace("quiet");
    fx.node("q-d1", "192.168.7.1", true, Map.of("lvs/q-director", "true"));
    fx.pool("quiet", "p", statics(List.of(new StaticMember("192.0.2.7", 80, null))));
    fx.virtualService("quiet", "web", spec("10.0.7.100", 80, Forwarding.DirectRouting, "p", "lvs/q-director"));
    await().atMost(WAIT).until(() -> !destinations("q-d1", "quiet/web").isEmpty());
    sleep(1000);
    List<String> versions = new CopyOnWriteArrayList<>();
    try (Watch w = client.resources(LvsNodeState.class).withName("q-d1").watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, LvsNodeState s) {
            versions.add(action + " " + s.getMetadata().getResourceVersion());
          }

          @Override
          public void onClose(WatcherException e) {}
        })) {
      sleep(500);
      versions.clear(); // the initial ADDED
      // ten events that make the operator plan again without changing what q-d1 must hold
      for (int i = 0; i < 5; i++) {
        int n = i;
        client.nodes().withName("q-d1").edit(node -> {
          node.getMetadata().getLabels().put("noise", "n" + n);
          return node;
        });
        // a merge patch, no resourceVersion: the operator patches this pool's status meanwhile
        client.resources(RealServerPool.class).inNamespace("quiet").withName("p")
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"drain\":{\"gracePeriodSeconds\":" + (30 + n) + "}}}");
      }
      sleep(3000);
      assertThat(versions).as("writes to q-d1 while nothing it holds changed").isEmpty();
      // positive control: a weight change is exactly one write
      client.resources(RealServerPool.class).inNamespace("quiet").withName("p").patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"static\":[{\"address\":\"192.0.2.7\",\"port\":80,\"weight\":5}]}}");
      await().atMost(WAIT).until(() -> destinations("q-d1", "quiet/web").get(0).weight() == 5);
      sleep(2000);
      assertThat(versions).hasSize(1).allMatch(v -> v.startsWith("MODIFIED"));
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
