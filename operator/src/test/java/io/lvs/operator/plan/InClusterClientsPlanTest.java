package io.lvs.operator.plan;

import static io.lvs.operator.fixtures.Specs.director;
import static io.lvs.operator.fixtures.Specs.input;
import static io.lvs.operator.fixtures.Specs.member;
import static io.lvs.operator.fixtures.Specs.vs;
import static io.lvs.operator.fixtures.Specs.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.InClusterAccess;
import io.lvs.api.v1alpha1.InClusterNodes;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeInCluster;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec.inClusterAccess: which nodes get their own clients' NAT service, and what it holds. */
class InClusterClientsPlanTest {
  private final NodeStatePlanner planner = new NodeStatePlanner();
  private final List<NodeView> nodes = List.of(director("d1", "192.168.0.1"), worker("w1", "192.168.0.11"),
      new NodeView("w2", Map.of("lvs/clients", "yes"), true, "192.168.0.12"),
      new NodeView("w3", Map.of("lvs/clients", "yes"), true, null));
  private final List<Member> members = List.of(member("10.244.0.5", 80, "d1"), member("192.168.0.11", 80, "w1"));

  private static VirtualServiceSpec withAccess(VirtualServiceSpec s, InClusterAccess a) {
    return new VirtualServiceSpec(s.vip(), s.ports(), s.fwmark(), s.fwmarkMatch(), s.family(), s.forwarding(),
        s.scheduler(), s.schedulerFlags(), s.persistence(), s.onePacket(), s.realServerPoolRef(), s.directors(),
        s.tunnelType(), s.publishService(), a);
  }

  private ClusterPlan plan(Forwarding fwd, InClusterAccess a) {
    return planner.plan(List.of(input("ns/web", withAccess(vs("10.0.0.100", 80, fwd, "p"), a), 1, members)), nodes,
        Map.of());
  }

  private static List<NodeIpvsService> clientServices(ClusterPlan plan, String node) {
    var spec = plan.nodes().get(node);
    return spec == null ? List.of() : spec.services().stream().filter(s -> s.inCluster() != null).toList();
  }

  @Test
  void absentOrNoneProgramsNoClientNode() {
    for (InClusterAccess a : java.util.Arrays.asList(null, new InClusterAccess(InClusterNodes.None, null))) {
      ClusterPlan plan = plan(Forwarding.DirectRouting, a);
      for (String n : List.of("d1", "w1", "w2", "w3")) {
        assertThat(clientServices(plan, n)).as(n).isEmpty();
      }
      assertThat(plan.nodes()).doesNotContainKey("w2");
    }
  }

  @Test
  void allNodesWithAnInternalIpGetANatServiceTowardsEveryMemberWhateverTheMode() {
    for (Forwarding fwd : Forwarding.values()) {
      ClusterPlan plan = plan(fwd, new InClusterAccess(InClusterNodes.All, null));
      for (String n : List.of("d1", "w1", "w2")) {
        String ip = nodes.stream().filter(v -> v.name().equals(n)).findFirst().orElseThrow().internalIp();
        assertThat(clientServices(plan, n)).as("%s %s", fwd, n).singleElement().satisfies(s -> {
          assertThat(s.vip()).isEqualTo("10.0.0.100");
          assertThat(s.port()).isEqualTo(80);
          assertThat(s.inCluster()).isEqualTo(new NodeInCluster(ip));
          assertThat(s.healthCheck()).isNull();
          assertThat(s.destinations()).extracting(NodeDestination::address, NodeDestination::forwarding)
              .containsExactly(org.assertj.core.groups.Tuple.tuple("10.244.0.5", Forwarding.NAT),
                  org.assertj.core.groups.Tuple.tuple("192.168.0.11", Forwarding.NAT));
        });
        assertThat(plan.nodes().get(n).sysctls()).contains(new NodeSysctl("ns/web", "net.ipv4.vs.conntrack", "1"),
            new NodeSysctl("ns/web", "net.ipv4.ip_forward", "1"));
      }
      // w3 has no InternalIP: its agent could not tell its uplink, so it gets nothing
      assertThat(plan.nodes()).as("%s", fwd).doesNotContainKey("w3");
      // the director keeps its own service beside the client one
      assertThat(plan.nodes().get("d1").services()).filteredOn(s -> s.inCluster() == null).hasSize(1);
    }
  }

  @Test
  void selectedNodesAreThoseCarryingTheLabels() {
    ClusterPlan plan = plan(Forwarding.Tunnel, new InClusterAccess(InClusterNodes.Selected, Map.of("lvs/clients", "yes")));
    assertThat(clientServices(plan, "w2")).hasSize(1);
    assertThat(clientServices(plan, "d1")).isEmpty();
    assertThat(clientServices(plan, "w1")).isEmpty();
  }

  @Test
  void natTargetPortsAreTheDestinationPortsAndDrainingMembersKeepTheirFlag() {
    VirtualServiceSpec base = vs("10.0.0.100", 80, Forwarding.NAT, "p");
    VirtualServiceSpec spec = withAccess(new VirtualServiceSpec(base.vip(),
        List.of(new ServicePort(null, 80, null, 8080), new ServicePort(null, 53, io.lvs.api.v1alpha1.Protocol.UDP, null)),
        null, null, null, Forwarding.NAT, base.scheduler(), null, null, null, base.realServerPoolRef(), base.directors(),
        null), new InClusterAccess(InClusterNodes.All, null));
    List<Member> ms = List.of(new Member("10.244.0.5", 8080, 2, MemberSource.SERVICE, "d1", true, false),
        new Member("10.244.0.6", 8080, 1, MemberSource.SERVICE, "d1", true, true));
    ClusterPlan plan = planner.plan(List.of(input("ns/web", spec, 1, ms)), nodes, Map.of());
    var services = clientServices(plan, "w1");
    assertThat(services).extracting(NodeIpvsService::port).containsExactlyInAnyOrder(80, 53);
    var tcp = services.stream().filter(s -> s.port() == 80).findFirst().orElseThrow();
    assertThat(tcp.scheduler()).isEqualTo("rr");
    assertThat(tcp.destinations()).extracting(NodeDestination::port).containsOnly(8080);
    assertThat(tcp.destinations()).extracting(NodeDestination::draining).containsExactly(null, true);
  }

  @Test
  void switchingOffRemovesTheClientEntriesFromTheNextPlan() {
    ClusterPlan on = plan(Forwarding.DirectRouting, new InClusterAccess(InClusterNodes.All, null));
    assertThat(on.nodes()).containsKey("w2");
    ClusterPlan off = plan(Forwarding.DirectRouting, new InClusterAccess(InClusterNodes.None, null));
    assertThat(off.nodes().get("w2") == null || off.nodes().get("w2").services().isEmpty()).isTrue();
    assertThat(clientServices(off, "d1")).isEmpty();
    assertThat(off.nodes().get("d1").sysctls()).doesNotContain(new NodeSysctl("ns/web", "net.ipv4.vs.conntrack", "1"));
  }
}
