package io.lvs.operator.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeHaPeer;
import io.lvs.api.v1alpha1.NodeVipCandidate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** HA VIP candidacies are entries like any other: a change is a write, a slice holding one is not empty. */
class VipCandidatesDiffTest {
  private static LvsNodeStateSpec with(String preferred) {
    var c = new NodeVipCandidate("ns/a", "10.0.0.1", 32, "eth0", null,
        List.of(new NodeHaPeer("d1", "192.168.0.1"), new NodeHaPeer("d2", "192.168.0.2")), preferred, true, null, 3, 200, true);
    return new LvsNodeStateSpec("d1", List.of(), List.of(), List.of(), List.of(), List.of(), null, null, List.of(c));
  }

  @Test
  void aChangedCandidacyIsWrittenAndNamesItsOwnerAndItsSliceIsNotEmpty() {
    assertThat(NodeStateDiff.diff(Map.of("d1", with("d1")), Map.of("d1", with("d1")), Set.of())).isEmpty();
    assertThat(NodeStateDiff.diff(Map.of("d1", with("d2")), Map.of("d1", with("d1")), Set.of()))
        .containsExactly(new NodeStateChange.Update("d1", with("d2")));
    assertThat(OwnerChanges.between(with("d1"), with("d2"))).containsExactly("ns/a");
    assertThat(NodeStateDiff.isEmpty(with("d1"))).isFalse();
    // no longer desired: emptied, not left holding the candidacy
    assertThat(NodeStateDiff.diff(Map.of(), Map.of("d1", with("d1")), Set.of()))
        .containsExactly(new NodeStateChange.Update("d1", NodeStateDiff.empty("d1")));
  }
}
