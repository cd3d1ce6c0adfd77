package io.lvs.operator.nodeconfig;

import static io.lvs.operator.nodeconfig.NodeConfigResolverTest.config;
import static io.lvs.operator.nodeconfig.NodeConfigResolverTest.node;
import static io.lvs.operator.nodeconfig.NodeConfigResolverTest.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.LvsNodeConfigStatus;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.NodeConfigReport;
import io.lvs.api.v1alpha1.NodeTimeouts;
import io.lvs.api.v1alpha1.TimeoutsReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeConfigStatusBuilderTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private final LvsNodeConfig dirs = config("dirs", Map.of("role", "director"), 600, null, null);
  private final LvsNodeConfig zone = config("zone-a", Map.of("zone", "a"), 100, null, null);
  private final NodeTimeouts wanted = new NodeTimeouts("dirs", 600, null, null);

  private static LvsNodeState reported(String node, NodeTimeouts spec, long observed, TimeoutsReport report) {
    LvsNodeState s = slice(node, node, spec);
    s.setStatus(new LvsNodeStateStatus(observed, null, null, null, null, report));
    return s;
  }

  private LvsNodeConfigStatus build(LvsNodeConfig c, Map<String, LvsNodeState> slices) {
    var r = NodeConfigResolver.resolve(List.of(dirs, zone),
        List.of(node("d1", Map.of("role", "director", "zone", "a")), node("d2", Map.of("role", "director")),
            node("d3", Map.of("role", "director"))), Map.of());
    return NodeConfigStatusBuilder.build(c, List.of(), r.configs().get(c.getMetadata().getName()),
        n -> Optional.ofNullable(slices.get(n)), NOW);
  }

  @Test
  void perNodeAppliedPendingFailedAndConflictWithConditionsNamingTheOtherConfigAndNode() {
    LvsNodeConfigStatus s = build(dirs, Map.of(
        "d2", reported("d2", wanted, 3, new TimeoutsReport("dirs", true, 600, 120, 300, null)),
        "d3", reported("d3", wanted, 3, new TimeoutsReport("dirs", false, null, null, null, "set IPVS timeouts: EINVAL"))));

    assertThat(s.matchedNodes()).isEqualTo(3);
    assertThat(s.appliedNodes()).isEqualTo(1);
    assertThat(s.nodes()).extracting(NodeConfigReport::node, NodeConfigReport::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("d1", "Conflict"), org.assertj.core.groups.Tuple.tuple("d2", "Applied"),
            org.assertj.core.groups.Tuple.tuple("d3", "Failed"));
    assertThat(condition(s, "Conflict")).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("SelectorOverlap");
      assertThat(c.getMessage()).contains("node d1 is also selected by LvsNodeConfig zone-a");
    });
    assertThat(condition(s, "Applied").getReason()).isEqualTo("Failed");
    assertThat(condition(s, "Applied").getMessage()).contains("d3: set IPVS timeouts: EINVAL");
    assertThat(condition(build(zone, Map.of()), "Conflict").getMessage())
        .contains("node d1 is also selected by LvsNodeConfig dirs");
  }

  @Test
  void anOldGenerationOrAnotherConfigsReportIsPendingNotApplied() {
    LvsNodeConfigStatus s = build(dirs, Map.of(
        "d2", reported("d2", wanted, 2, new TimeoutsReport("dirs", true, 600, 120, 300, null)), // generation 3 not seen
        "d3", reported("d3", wanted, 3, new TimeoutsReport("other", true, 600, 120, 300, null))));

    assertThat(s.nodes()).extracting(NodeConfigReport::state).containsExactly("Conflict", "Pending", "Pending");
    assertThat(s.appliedNodes()).isZero();
    assertThat(condition(s, "Applied").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Applied").getReason()).isEqualTo("Pending");
  }

  @Test
  void allAppliedIsTrueAndAnInvalidSpecSaysWhy() {
    LvsNodeConfig only = config("dirs", Map.of("role", "director"), 600, null, null);
    var r = NodeConfigResolver.resolve(List.of(only), List.of(node("d2", Map.of("role", "director"))), Map.of());
    LvsNodeConfigStatus ok = NodeConfigStatusBuilder.build(only, List.of(), r.configs().get("dirs"),
        n -> Optional.of(reported("d2", wanted, 3, new TimeoutsReport("dirs", true, 600, 120, 300, null))), NOW);
    assertThat(condition(ok, "Applied").getStatus()).isEqualTo("True");
    assertThat(condition(ok, "Conflict").getStatus()).isEqualTo("False");

    LvsNodeConfigStatus bad = NodeConfigStatusBuilder.build(only, List.of("spec.timeouts.tcpSeconds: 0 must be >= 1"), null,
        n -> Optional.empty(), NOW);
    assertThat(condition(bad, "Applied").getReason()).isEqualTo("InvalidSpec");
    assertThat(condition(bad, "Applied").getMessage()).isEqualTo("spec.timeouts.tcpSeconds: 0 must be >= 1");
    assertThat(bad.matchedNodes()).isZero();
  }

  private static Condition condition(LvsNodeConfigStatus s, String type) {
    return s.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }
}
