package io.lvs.api.slices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import org.junit.jupiter.api.Test;

class NodeSlicesTest {
  @Test
  void sliceZeroIsNamedAfterTheNodeAndLaterSlicesGetTheirIndex() {
    assertThat(NodeSlices.name("worker-1", 0)).isEqualTo("worker-1");
    assertThat(NodeSlices.name("worker-1", 3)).isEqualTo("worker-1.3");
    assertThatThrownBy(() -> NodeSlices.name("worker-1", -1)).hasMessageContaining("-1");
  }

  @Test
  void longNodeNamesStayWithin253CharactersAndDistinct() {
    String node = "n".repeat(250);
    String s0 = NodeSlices.name(node, 0);
    String s12 = NodeSlices.name(node, 12);
    assertThat(s0).isEqualTo(node);
    assertThat(s12).hasSizeLessThanOrEqualTo(253).endsWith(".12").isNotEqualTo(NodeSlices.name(node, 1));
    assertThat(NodeSlices.name(node + "x".repeat(3), 12)).isNotEqualTo(NodeSlices.name(node + "y".repeat(3), 12));
  }

  @Test
  void labelValueIsTheNodeNameWhenItFitsElseAHash() {
    assertThat(NodeSlices.labelValue("ip-10-0-0-1.ec2.internal")).isEqualTo("ip-10-0-0-1.ec2.internal");
    String longName = "a".repeat(64);
    assertThat(NodeSlices.labelValue(longName)).startsWith("sha256-").hasSizeLessThanOrEqualTo(63)
        .isNotEqualTo(NodeSlices.labelValue("b".repeat(64)));
  }

  @Test
  void nodeOfPrefersSpecNodeName() {
    LvsNodeState s = new LvsNodeState();
    s.setMetadata(new ObjectMetaBuilder().withName("worker-1.2").build());
    assertThat(NodeSlices.nodeOf(s)).isEqualTo("worker-1.2");
    s.setSpec(new LvsNodeStateSpec("worker-1", null, null, null, null, null));
    assertThat(NodeSlices.nodeOf(s)).isEqualTo("worker-1");
  }
}
