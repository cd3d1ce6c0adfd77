package io.lvs.operator.status;

import static io.lvs.operator.fixtures.Specs.member;
import static io.lvs.operator.fixtures.Specs.vs;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.NodeError;
import io.lvs.api.v1alpha1.OwnerReport;
import io.lvs.api.v1alpha1.VirtualServiceStatus;
import io.lvs.operator.plan.ClusterPlan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusAggregationTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static LvsNodeState state(String node, long generation, Long observed, OwnerReport... owners) {
    LvsNodeState s = new LvsNodeState();
    s.setMetadata(new ObjectMetaBuilder().withName(node).withGeneration(generation).build());
    s.setStatus(new LvsNodeStateStatus(observed, null, null, List.of(owners), null));
    return s;
  }

  private static String cond(VirtualServiceStatus s, String type) {
    Condition c = Conditions.find(s.conditions(), type).orElseThrow();
    return c.getStatus() + " " + c.getReason() + ": " + c.getMessage();
  }

  @Test
  void tallyCountsOnlyReportsThatSawTheOwnersLastChangeAndNamesFailingNodes() {
    var states = Map.of(
        "d1", state("d1", 3, 3L, new OwnerReport("ns/web", true, null)),
        "d2", state("d2", 3, 2L, new OwnerReport("ns/web", true, null)), // stale: pending
        "w1", state("w1", 1, 1L, new OwnerReport("ns/web", false, List.of("add 10.0.0.1/32 dev lo: EPERM"))),
        "w2", state("w2", 1, 1L, new OwnerReport("ns/other", true, null)));
    // the operator last changed ns/web's entries on d2 at generation 3 (ledger), elsewhere earlier
    Map<String, Long> since = Map.of("d1", 3L, "d2", 3L, "w1", 1L);
    var t = NodeReports.tally("ns/web", Set.of("d1", "d2", "w1", "w2", "w3"), states, n -> since.getOrDefault(n, 0L));
    assertThat(t.programmed()).isEqualTo(1);
    assertThat(t.total()).isEqualTo(5);
    assertThat(t.summary()).isEqualTo("1/5 nodes");
    assertThat(t.errors()).containsExactly(new NodeError("w1", "add 10.0.0.1/32 dev lo: EPERM"));
    // a later write for another owner (generation 4 on d1) does not make ns/web pending on d1
    var d1Later = Map.of("d1", state("d1", 4, 3L, new OwnerReport("ns/web", true, null)));
    assertThat(NodeReports.tally("ns/web", Set.of("d1"), d1Later, n -> 3L).programmed()).isEqualTo(1);
    assertThat(NodeReports.tally("ns/web", Set.of("d1"), d1Later, n -> 4L).programmed()).isZero();
  }

  @Test
  void allProgrammedGivesReadyWithCounts() {
    var outcome = new ClusterPlan.Outcome(null, List.of("d1"), "d1", Set.of("d1", "w1"));
    var tally = new NodeReports.Tally(2, 2, List.of());
    var s = VirtualServiceStatusBuilder.build(vs("10.0.0.1", 80, Forwarding.DirectRouting, "p"), 4, null, null, outcome,
        List.of(member("192.168.0.11", 80, "w1")), tally, NOW);
    assertThat(s.observedGeneration()).isEqualTo(4);
    assertThat(cond(s, "Programmed")).isEqualTo("True AllNodesProgrammed: 2/2 nodes");
    assertThat(cond(s, "Ready")).isEqualTo("True Ready: 1/1 real servers ready on 2/2 nodes");
    assertThat(cond(s, "Degraded")).startsWith("False NoErrors");
    assertThat(cond(s, "Conflict")).startsWith("False NoConflict");
    assertThat(s.nodes().summary()).isEqualTo("2/2 nodes");
    assertThat(s.nodes().activeDirector()).isEqualTo("d1");
    assertThat(s.ports()).isEqualTo("80/TCP");
    assertThat(s.readyRealServers()).isEqualTo("1/1");
  }

  @Test
  void aFailingNodeMakesItDegradedNamingNodeAndError() {
    var outcome = new ClusterPlan.Outcome(null, List.of("d1"), "d1", Set.of("d1", "w1"));
    var tally = new NodeReports.Tally(1, 2, List.of(new NodeError("w1", "EPERM")));
    var s = VirtualServiceStatusBuilder.build(vs("10.0.0.1", 80, Forwarding.DirectRouting, "p"), 1, null, null, outcome,
        List.of(member("192.168.0.11", 80, "w1")), tally, NOW);
    assertThat(cond(s, "Degraded")).isEqualTo("True NodeError: w1: EPERM");
    assertThat(cond(s, "Programmed")).isEqualTo("False NodesPending: 1/2 nodes");
    assertThat(cond(s, "Ready")).startsWith("False Degraded");
  }

  @Test
  void conflictIsReportedWithTheOtherName() {
    var outcome = new ClusterPlan.Outcome("10.0.0.1:80/TCP is held by VirtualService a/old", List.of(), null, Set.of());
    var s = VirtualServiceStatusBuilder.build(vs("10.0.0.1", 80, Forwarding.DirectRouting, "p"), 1, null, null, outcome,
        List.of(), new NodeReports.Tally(0, 0, List.of()), NOW);
    assertThat(cond(s, "Conflict")).isEqualTo("True AddressInUse: 10.0.0.1:80/TCP is held by VirtualService a/old");
    assertThat(cond(s, "Ready")).startsWith("False Conflict");
  }

  @Test
  void transitionTimeMovesOnlyWhenTheStatusChanges() {
    var outcome = new ClusterPlan.Outcome(null, List.of("d1"), "d1", Set.of("d1"));
    var spec = vs("10.0.0.1", 80, Forwarding.DirectRouting, "p");
    var first = VirtualServiceStatusBuilder.build(spec, 1, null, null, outcome, List.of(member("10.1.0.1", 80, null)),
        new NodeReports.Tally(0, 1, List.of()), NOW);
    var same = VirtualServiceStatusBuilder.build(spec, 1, first, null, outcome, List.of(member("10.1.0.1", 80, null)),
        new NodeReports.Tally(0, 1, List.of()), NOW.plusSeconds(60));
    assertThat(same).isEqualTo(first);
    var flipped = VirtualServiceStatusBuilder.build(spec, 1, same, null, outcome, List.of(member("10.1.0.1", 80, null)),
        new NodeReports.Tally(1, 1, List.of()), NOW.plusSeconds(90));
    assertThat(Conditions.find(flipped.conditions(), "Programmed").orElseThrow().getLastTransitionTime())
        .isEqualTo(NOW.plusSeconds(90).toString());
    assertThat(Conditions.find(flipped.conditions(), "Degraded").orElseThrow().getLastTransitionTime())
        .isEqualTo(NOW.toString());
  }

  @Test
  void invalidSpecNamesTheFieldInReadyAndProgrammed() {
    var s = VirtualServiceStatusBuilder.build(vs("10.0.0.1", 80, Forwarding.DirectRouting, "p"), 2, null,
        new VirtualServiceStatusBuilder.Problem("InvalidSpec", "spec.ports: required when spec.vip is set"), null,
        List.of(), null, NOW);
    assertThat(cond(s, "Ready")).isEqualTo("False InvalidSpec: spec.ports: required when spec.vip is set");
  }
}
