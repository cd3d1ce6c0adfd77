package io.lvs.operator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeTimeouts;
import io.lvs.operator.diff.NodeStateDiff;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeStateWriterPatchTest {
  @Test
  void fieldsTheSpecLeavesOutAreNulledSoAMergePatchRemovesThem() throws Exception {
    JsonNode without = new ObjectMapper().readTree(NodeStateWriter.mergePatch(NodeStateDiff.empty("n1")));
    assertThat(without.path("spec").has("timeouts")).isTrue();
    assertThat(without.path("spec").get("timeouts").isNull()).isTrue();
    assertThat(without.path("spec").get("marks").isNull()).isTrue();
    assertThat(without.path("spec").get("nodeName").asText()).isEqualTo("n1");

    JsonNode with = new ObjectMapper().readTree(NodeStateWriter.mergePatch(
        new LvsNodeStateSpec("n1", List.of(), List.of(), List.of(), List.of(), List.of(), null, new NodeTimeouts("c", 5, null, null))));
    assertThat(with.path("spec").path("timeouts").path("tcpSeconds").asInt()).isEqualTo(5);
    // merge patches merge objects field by field: a timeout no longer set must be nulled, not left out
    assertThat(with.path("spec").path("timeouts").get("udpSeconds").isNull()).isTrue();
  }

  @Test
  void aSliceHoldingOnlyTimeoutsIsNotEmpty() {
    LvsNodeStateSpec onlyTimeouts = new LvsNodeStateSpec("n1", null, null, null, null, null, null, new NodeTimeouts("c", 5, null, null));
    assertThat(NodeStateDiff.isEmpty(onlyTimeouts)).isFalse();
    assertThat(NodeStateDiff.isEmpty(NodeStateDiff.empty("n1"))).isTrue();
  }
}
