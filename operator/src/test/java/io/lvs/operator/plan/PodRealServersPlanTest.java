package io.lvs.operator.plan;

import static io.lvs.operator.fixtures.Specs.director;
import static io.lvs.operator.fixtures.Specs.input;
import static io.lvs.operator.fixtures.Specs.member;
import static io.lvs.operator.fixtures.Specs.vs;
import static io.lvs.operator.fixtures.Specs.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeSysctl;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pods (not hostNetwork) as DR / Tunnel real servers: the VIP goes into the pod, not onto its node. */
class PodRealServersPlanTest {
  private final NodeStatePlanner planner = new NodeStatePlanner();
  private final List<NodeView> nodes =
      List.of(director("d1", "192.168.0.1"), worker("w1", "192.168.0.11"), worker("w2", "192.168.0.12"));

  @Test
  void drPodsGetTheVipInTheirNamespaceAndTheHolderAcceptsTheirRepliesFromItsOwnVip() {
    var plan = planner.plan(List.of(input("ns/web", vs("10.0.0.100", 80, Forwarding.DirectRouting, "p"), 1,
        List.of(member("10.244.0.5", 80, "d1"), member("192.168.0.11", 80, "w1")))), nodes, Map.of());
    assertThat(plan.nodes().get("d1").addresses()).contains(
        new NodeAddress("ns/web", "10.0.0.100", 32, "lo", false, null, "10.244.0.5"));
    assertThat(plan.nodes().get("d1").sysctls()).contains(new NodeSysctl("ns/web", "net.ipv4.conf.all.accept_local", "1"));
    // a hostNetwork member (the node's own address) keeps the node-level recipe
    assertThat(plan.nodes().get("w1").addresses()).containsExactly(new NodeAddress("ns/web", "10.0.0.100", 32, "lo", false));
    assertThat(plan.services().get("ns/web").notL2Neighbours()).isEmpty();
  }

  @Test
  void drPodOnAnotherNodeIsNamedNotL2NeighbourAndItsNodeLoStaysClean() {
    var plan = planner.plan(List.of(input("ns/web", vs("10.0.0.100", 80, Forwarding.DirectRouting, "p"), 1,
        List.of(member("10.244.2.7", 80, "w2")))), nodes, Map.of());
    assertThat(plan.nodes().get("w2").addresses()).containsExactly(
        new NodeAddress("ns/web", "10.0.0.100", 32, "lo", false, null, "10.244.2.7"));
    assertThat(plan.nodes().get("w2").sysctls()).isEmpty();
    assertThat(plan.services().get("ns/web").notL2Neighbours()).containsOnlyKeys("10.244.2.7");
    assertThat(plan.services().get("ns/web").notL2Neighbours().get("10.244.2.7"))
        .contains("pod on node w2, not on the director d1");
  }

  @Test
  void tunnelPodsOnOtherNodesGetTunl0InTheirNamespaceAndAreReachable() {
    var plan = planner.plan(List.of(input("ns/tun", vs("10.0.0.101", 80, Forwarding.Tunnel, "p"), 1,
        List.of(member("10.244.1.5", 80, "w1"), member("10.244.2.7", 80, "w2")))), nodes, Map.of());
    for (var n : Map.of("w1", "10.244.1.5", "w2", "10.244.2.7").entrySet()) {
      assertThat(plan.nodes().get(n.getKey()).addresses()).containsExactly(
          new NodeAddress("ns/tun", "10.0.0.101", 32, "tunl0", false, null, n.getValue()));
      assertThat(plan.nodes().get(n.getKey()).links()).isEmpty(); // tunl0 is the pod's, not the node's
    }
    assertThat(plan.services().get("ns/tun").notL2Neighbours()).isEmpty();
    assertThat(plan.nodes().get("d1").sysctls()).isEmpty();
  }

  @Test
  void natPodsNeedNothingInsideThem() {
    var plan = planner.plan(List.of(input("ns/nat", vs("10.0.0.102", 80, Forwarding.NAT, "p"), 1,
        List.of(member("10.244.1.5", 8080, "w1")))), nodes, Map.of());
    assertThat(plan.nodes()).doesNotContainKey("w1");
  }
}
