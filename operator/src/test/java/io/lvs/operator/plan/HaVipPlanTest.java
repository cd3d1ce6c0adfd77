package io.lvs.operator.plan;

import static io.lvs.operator.fixtures.Specs.director;
import static io.lvs.operator.fixtures.Specs.input;
import static io.lvs.operator.fixtures.Specs.member;
import static io.lvs.operator.fixtures.Specs.vs;
import static io.lvs.operator.fixtures.Specs.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.slices.SpecOwners;
import io.lvs.api.v1alpha1.Announce;
import io.lvs.api.v1alpha1.Directors;
import io.lvs.api.v1alpha1.FailoverTimings;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeFailoverTimings;
import io.lvs.api.v1alpha1.NodeHaPeer;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.NodeVipCandidate;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two or more directors: each is a candidate for the VIP and their agents elect the holder (docs/ha.md). */
class HaVipPlanTest {
  private final NodeStatePlanner planner = new NodeStatePlanner();
  private final List<NodeView> nodes =
      List.of(director("d2", "192.168.0.2"), director("d1", "192.168.0.1"), worker("w1", "192.168.0.11"));

  private static VirtualServiceSpec withDirectors(VirtualServiceSpec s, Directors d) {
    return new VirtualServiceSpec(s.vip(), s.ports(), s.fwmark(), s.family(), s.forwarding(), s.scheduler(),
        s.schedulerFlags(), s.persistence(), s.onePacket(), s.realServerPoolRef(), d, s.tunnelType());
  }

  @Test
  void everyDirectorIsACandidateWithAllDirectorsByNameAndTheDefaultsFilledIn() {
    var plan = planner.plan(List.of(input("ns/web", vs("10.0.0.100", 80, Forwarding.DirectRouting, "p"), 1,
        List.of(member("192.168.0.11", 80, "w1")))), nodes, Map.of("10.0.0.100", "d2"));
    List<NodeHaPeer> peers = List.of(new NodeHaPeer("d1", "192.168.0.1"), new NodeHaPeer("d2", "192.168.0.2"));
    for (String d : List.of("d1", "d2")) {
      assertThat(plan.nodes().get(d).vipCandidates()).containsExactly(new NodeVipCandidate("ns/web", "10.0.0.100", 32,
          "eth0", null, peers, null, true, new NodeFailoverTimings(FailoverTimings.LEASE_DURATION,
          FailoverTimings.RENEW_DEADLINE, FailoverTimings.RETRY_PERIOD, FailoverTimings.PEER_TIMEOUT, FailoverTimings.HEARTBEAT_INTERVAL), 3, 200, true));
      assertThat(plan.nodes().get(d).addresses()).isEmpty();
    }
    // the operator neither names a holder nor keeps its own Lease: the old one is released
    assertThat(plan.vipHolders()).isEmpty();
    assertThat(VipFence.releases(plan.vipHolders(), java.util.Set.of("10.0.0.100"))).containsExactly("10.0.0.100");
    assertThat(plan.services().get("ns/web").vipHolder()).isNull();
    assertThat(plan.nodes().get("w1").vipCandidates()).isNull();
    assertThat(plan.nodes().get("w1").addresses()).containsExactly(new NodeAddress("ns/web", "10.0.0.100", 32, "lo", false));
  }

  @Test
  void theSpecsSettingsReachTheCandidatesAndWithoutVipInterfaceEachNamesItsOwnInternalIp() {
    Directors d = new Directors(Map.of("lvs/director", "true"), null, "d2", false,
        new FailoverTimings(1000, 600, 200, 500, 100), new Announce(5, null), false);
    var plan = planner.plan(List.of(input("ns/web", withDirectors(vs("10.0.0.100", 80, Forwarding.NAT, "p"), d), 1,
        List.of())), nodes, Map.of());
    NodeVipCandidate c1 = plan.nodes().get("d1").vipCandidates().get(0);
    assertThat(c1.interfaceName()).isNull();
    assertThat(c1.interfaceOf()).isEqualTo("192.168.0.1");
    assertThat(plan.nodes().get("d2").vipCandidates().get(0).interfaceOf()).isEqualTo("192.168.0.2");
    assertThat(c1.preferred()).isEqualTo("d2");
    assertThat(c1.preempt()).isFalse();
    assertThat(c1.timings()).isEqualTo(new NodeFailoverTimings(1000, 600, 200, 500, 100));
    assertThat(c1.announceCount()).isEqualTo(5);
    assertThat(c1.announceIntervalMillis()).isEqualTo(200);
    assertThat(c1.connectionSync()).isFalse();
  }

  @Test
  void aDirectorGoingNotReadyLeavesTheGroupButTheVipStaysElectedNotLeased() {
    var in = List.of(input("ns/web", vs("10.0.0.100", 80, Forwarding.DirectRouting, "p"), 1, List.of()));
    var down = List.of(director("d1", "192.168.0.1"), new NodeView("d2", Map.of("lvs/director", "true"), false, "192.168.0.2"));
    var plan = planner.plan(in, down, Map.of());
    // d2 gets no candidacy, but stays a named director: the agents need two or more, and its
    // agent may still run (and be heard)
    assertThat(plan.nodes().get("d1").vipCandidates()).singleElement().satisfies(c -> assertThat(c.directors())
        .containsExactly(new NodeHaPeer("d1", "192.168.0.1"), new NodeHaPeer("d2", "192.168.0.2")));
    assertThat(plan.nodes()).doesNotContainKey("d2");
    assertThat(plan.vipHolders()).isEmpty();
    // the selector matching one node only: the operator's single-holder path again
    var single = planner.plan(in, List.of(director("d1", "192.168.0.1")), Map.of());
    assertThat(single.vipHolders()).containsEntry("10.0.0.100", "d1");
    assertThat(single.nodes().get("d1").vipCandidates()).isNull();
  }

  @Test
  void aPreferredNodeThatIsNoDirectorIsDroppedSoTheAgentsDoNotRefuseTheCandidacy() {
    for (String preferred : new String[] {"w1", "nosuchnode"}) {
      Directors d = new Directors(Map.of("lvs/director", "true"), "eth0", preferred, null, null, null, null);
      var plan = new NodeStatePlanner().plan(List.of(input("ns/web",
          withDirectors(vs("10.0.0.100", 80, Forwarding.DirectRouting, "p"), d), 1, List.of())), nodes, Map.of());
      assertThat(plan.nodes().get("d1").vipCandidates().get(0).preferred()).as(preferred).isNull();
    }
  }

  @Test
  void membersOnDirectorsGetNoLoVipAndDrPodsCountAsNeighboursOfEveryDirector() {
    var plan = planner.plan(List.of(input("ns/web", vs("10.0.0.100", 80, Forwarding.DirectRouting, "p"), 1,
        List.of(member("192.168.0.2", 80, "d2"), member("10.244.1.5", 80, "d1"), member("10.244.9.9", 80, "w1")))),
        nodes, Map.of());
    assertThat(plan.nodes().get("d2").addresses()).isEmpty(); // it may hold the VIP itself
    assertThat(plan.nodes().get("d1").sysctls()).contains(new NodeSysctl("ns/web", PodRealServers.ACCEPT_LOCAL, "1"));
    assertThat(plan.services().get("ns/web").notL2Neighbours()).containsOnlyKeys("10.244.9.9");
    assertThat(plan.services().get("ns/web").notL2Neighbours().get("10.244.9.9"))
        .contains("not on any of the directors d1, d2");
  }

  @Test
  void sharedVipTakesTheOldestServicesSettingsAndTheSlicerCountsAndKeepsCandidacies() {
    Directors preferD1 = new Directors(Map.of("lvs/director", "true"), "eth0", "d1", null, null, null, null);
    var plan = planner.plan(List.of(
        input("ns/a", withDirectors(vs("10.0.0.100", 80, Forwarding.DirectRouting, "p"), preferD1), 1, List.of()),
        input("ns/b", vs("10.0.0.100", 443, Forwarding.DirectRouting, "p"), 2, List.of())), nodes, Map.of());
    List<NodeVipCandidate> cs = plan.nodes().get("d2").vipCandidates();
    assertThat(cs).extracting(NodeVipCandidate::owner).containsExactly("ns/a", "ns/b");
    assertThat(cs).extracting(NodeVipCandidate::preferred).containsOnly("d1");
    List<LvsNodeStateSpec> parts = plan.parts().get("d2");
    LvsNodeStateSpec b = parts.get(1);
    assertThat(SpecOwners.of(b)).containsExactly("ns/b");
    // one service, one candidacy naming two directors
    assertThat(NodeSlicer.cost(b)).isEqualTo(1 + 1 + 2);
    assertThat(NodeSlicer.build("d2", parts).vipCandidates()).isEqualTo(cs);
    var sliced = new NodeSlicer(1).slice("d2", parts, Map.of(), n -> false);
    assertThat(sliced.slices().values()).allSatisfy(p -> assertThat(NodeSlicer.build("d2", p).vipCandidates()).hasSize(1));
  }
}
