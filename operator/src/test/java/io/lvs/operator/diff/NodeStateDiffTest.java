package io.lvs.operator.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeSysctl;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeStateDiffTest {
  private static LvsNodeStateSpec spec(String node, String value) {
    return new LvsNodeStateSpec(node, List.of(), List.of(), List.of(), List.of(new NodeSysctl("ns/a", "net.ipv4.ip_forward", value)), List.of());
  }

  @Test
  void equalSpecsGiveNoWriteNullAndEmptyListsAreEqual() {
    var existing = new LvsNodeStateSpec("n1", null, null, null, List.of(new NodeSysctl("ns/a", "net.ipv4.ip_forward", "1")), null);
    assertThat(NodeStateDiff.diff(Map.of("n1", spec("n1", "1")), Map.of("n1", existing), Set.of("n1"))).isEmpty();
  }

  @Test
  void createUpdateClearAndDeleteGoneNodes() {
    Map<String, LvsNodeStateSpec> existing = new HashMap<>();
    existing.put("changed", spec("changed", "0"));
    existing.put("noLongerNeeded", spec("noLongerNeeded", "1"));
    existing.put("goneEmpty", NodeStateDiff.empty("goneEmpty"));
    existing.put("presentEmpty", null);
    var changes = NodeStateDiff.diff(
        Map.of("new", spec("new", "1"), "changed", spec("changed", "1")), existing,
        Set.of("goneEmpty", "noLongerNeeded")); // deletable once empty: noLongerNeeded is not empty yet
    assertThat(changes).containsExactly(
        new NodeStateChange.Update("changed", spec("changed", "1")),
        new NodeStateChange.Delete("goneEmpty"),
        new NodeStateChange.Create("new", spec("new", "1")),
        new NodeStateChange.Update("noLongerNeeded", NodeStateDiff.empty("noLongerNeeded")));
  }
}
