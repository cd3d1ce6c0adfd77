package io.lvs.operator.status;

import static io.lvs.operator.fixtures.Specs.member;
import static io.lvs.operator.fixtures.Specs.vs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.api.model.Condition;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.PodNamespaceReport;
import io.lvs.api.v1alpha1.ResolvedRealServer;
import io.lvs.api.v1alpha1.VirtualServiceStatus;
import io.lvs.operator.plan.ClusterPlan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** DR members that cannot be L2 neighbours of the director: never Ready for traffic that cannot flow. */
class NotL2NeighbourStatusTest {
  static final String WHY = "pod on node w2, not on the director d1: DirectRouting needs one L2 segment";

  static Condition condition(VirtualServiceStatus s, String type) {
    return s.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  static VirtualServiceStatus status(Map<String, String> unreachable) {
    return status(unreachable, Map.of());
  }

  static VirtualServiceStatus status(Map<String, String> unreachable, Map<String, PodNamespaceReport> pods) {
    var outcome = new ClusterPlan.Outcome(null, List.of("d1"), "d1", Set.of("d1", "w2"), unreachable);
    return VirtualServiceStatusBuilder.build(vs("10.0.0.100", 80, Forwarding.DirectRouting, "p"), 1, null, null, outcome,
        List.of(member("10.244.2.7", 80, "w2"), member("10.244.0.5", 80, "d1")),
        new NodeReports.Tally(2, 2, List.of(), pods), Instant.EPOCH);
  }

  @Test
  void eachPodMemberSaysWhetherItsNamespaceIsConfiguredOrWhyNot() {
    VirtualServiceStatus s = status(Map.of("10.244.2.7", WHY), Map.of(
        "10.244.0.5", new PodNamespaceReport("10.244.0.5", true, "/run/netns/cni-1 (inode 5)", null),
        "10.244.2.7", new PodNamespaceReport("10.244.2.7", true, "/run/netns/cni-2 (inode 6)", null)));
    assertThat(s.realServers()).extracting(ResolvedRealServer::address, ResolvedRealServer::podNamespace)
        .containsExactly(tuple("10.244.2.7", "NotL2Neighbour: " + WHY), tuple("10.244.0.5", "Configured"));
    VirtualServiceStatus missing = status(Map.of(), Map.of("10.244.0.5",
        new PodNamespaceReport("10.244.0.5", false, null, "no network namespace on this node holds 10.244.0.5")));
    assertThat(missing.realServers().get(1).podNamespace())
        .isEqualTo("NotConfigured: no network namespace on this node holds 10.244.0.5");
    assertThat(missing.realServers().get(0).podNamespace()).isNull(); // no report about it (yet)
  }

  @Test
  void allReadyMembersUnreachableIsNotReadyWithTheReason() {
    VirtualServiceStatus s = status(Map.of("10.244.2.7", WHY, "10.244.0.5", WHY));
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("NotL2Neighbour");
    assertThat(condition(s, "Ready").getMessage()).contains("10.244.2.7: " + WHY);
    assertThat(condition(s, "Degraded").getReason()).isEqualTo("NotL2Neighbour");
  }

  @Test
  void someUnreachableIsReadyButDegradedNamingThem() {
    VirtualServiceStatus s = status(Map.of("10.244.2.7", WHY));
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Degraded").getMessage()).isEqualTo("10.244.2.7: " + WHY);
  }

  @Test
  void noneUnreachableIsNotDegraded() {
    VirtualServiceStatus s = status(Map.of());
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Degraded").getStatus()).isEqualTo("False");
  }
}
