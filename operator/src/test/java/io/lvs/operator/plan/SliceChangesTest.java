package io.lvs.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.operator.diff.NodeStateChange;
import io.lvs.operator.diff.NodeStateDiff;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SliceChangesTest {
  private static LvsNodeStateSpec spec(String node, String owner) {
    return new LvsNodeStateSpec(node, List.of(), List.of(), List.of(), List.of(new NodeSysctl(owner, "net.ipv4.ip_forward", "1")), List.of());
  }

  private static LvsNodeState object(String name, LvsNodeStateSpec spec, long generation, Long observed) {
    LvsNodeState o = new LvsNodeState();
    o.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(generation).build());
    o.setSpec(spec);
    o.setStatus(observed == null ? null : new LvsNodeStateStatus(observed, List.of(), null, List.of(), List.of()));
    return o;
  }

  @Test
  void anExtraSliceIsEmptiedThenRemovedOnlyOnceItsAgentHasSeenItEmpty() {
    SliceChanges changes = new SliceChanges(true);
    Map<String, LvsNodeStateSpec> desired = Map.of("w1", spec("w1", "ns/a"));
    var emptying = changes.between(desired, Map.of("w1", object("w1", spec("w1", "ns/a"), 1, 1L),
        "w1.1", object("w1.1", spec("w1", "ns/b"), 3, 2L)), Set.of("w1"));
    assertThat(emptying.writes()).containsExactly(new NodeStateChange.Update("w1.1", NodeStateDiff.empty("w1")));
    assertThat(emptying.awaitingConfirmation()).isTrue();

    LvsNodeState emptied = object("w1.1", NodeStateDiff.empty("w1"), 4, 3L);
    var unconfirmed = changes.between(desired, Map.of("w1", object("w1", spec("w1", "ns/a"), 1, 1L), "w1.1", emptied), Set.of("w1"));
    assertThat(unconfirmed.writes()).isEmpty();
    assertThat(unconfirmed.awaitingConfirmation()).isTrue();

    var confirmed = changes.between(desired, Map.of("w1", object("w1", spec("w1", "ns/a"), 1, 1L),
        "w1.1", object("w1.1", NodeStateDiff.empty("w1"), 4, 4L)), Set.of("w1"));
    assertThat(confirmed.writes()).containsExactly(new NodeStateChange.Delete("w1.1"));
  }

  @Test
  void theSliceNamedAfterALiveNodeStaysEmptyAndAGoneNodesSlicesGo() {
    SliceChanges changes = new SliceChanges(false);
    var found = changes.between(Map.of(), Map.of("w1", object("w1", NodeStateDiff.empty("w1"), 2, 2L),
        "w2", object("w2", NodeStateDiff.empty("w2"), 2, null)), Set.of("w1"));
    assertThat(found.writes()).containsExactly(new NodeStateChange.Delete("w2"));
    assertThat(found.awaitingConfirmation()).isFalse();
  }
}
