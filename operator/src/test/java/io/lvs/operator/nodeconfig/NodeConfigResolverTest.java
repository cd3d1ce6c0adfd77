package io.lvs.operator.nodeconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.api.v1alpha1.IpvsTimeoutsSpec;
import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.LvsNodeConfigSpec;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeTimeouts;
import io.lvs.operator.plan.NodeView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeConfigResolverTest {
  static LvsNodeConfig config(String name, Map<String, String> selector, Integer tcp, Integer fin, Integer udp) {
    LvsNodeConfig c = new LvsNodeConfig();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
    c.setSpec(new LvsNodeConfigSpec(selector, new IpvsTimeoutsSpec(tcp, fin, udp)));
    return c;
  }

  static NodeView node(String name, Map<String, String> labels) {
    return new NodeView(name, labels, true, null);
  }

  private static final List<NodeView> NODES = List.of(
      node("d1", Map.of("role", "director", "zone", "a")),
      node("d2", Map.of("role", "director", "zone", "b")),
      node("w1", Map.of("role", "web")));

  @Test
  void eachNodeGetsTheOneConfigSelectingIt() {
    var r = NodeConfigResolver.resolve(List.of(config("dirs", Map.of("role", "director"), 600, null, 120)), NODES, Map.of());

    assertThat(r.timeouts()).containsOnlyKeys("d1", "d2")
        .containsEntry("d1", new NodeTimeouts("dirs", 600, null, 120));
    assertThat(r.configs().get("dirs").nodes()).containsExactly("d1", "d2");
    assertThat(r.configs().get("dirs").conflicts()).isEmpty();
  }

  @Test
  void anEmptySelectorSelectsEveryNode() {
    var r = NodeConfigResolver.resolve(List.of(config("all", Map.of(), null, null, 60)), NODES, Map.of());

    assertThat(r.timeouts()).containsOnlyKeys("d1", "d2", "w1");
  }

  @Test
  void twoConfigsOnOneNodeAreAConflictInBothAndTheNodeKeepsWhatItHad() {
    NodeTimeouts before = new NodeTimeouts("dirs", 600, null, null);
    var r = NodeConfigResolver.resolve(List.of(
            config("dirs", Map.of("role", "director"), 600, null, null),
            config("zone-a", Map.of("zone", "a"), 100, null, null)),
        NODES, Map.of("d1", before));

    assertThat(r.timeouts()).containsEntry("d1", before) // not zone-a's, not resolved by picking one
        .containsEntry("d2", new NodeTimeouts("dirs", 600, null, null));
    assertThat(r.configs().get("dirs").conflicts()).isEqualTo(Map.of("d1", List.of("zone-a")));
    assertThat(r.configs().get("zone-a").conflicts()).isEqualTo(Map.of("d1", List.of("dirs")));
    assertThat(r.configs().get("zone-a").applies("d1")).isFalse();
    assertThat(r.configs().get("dirs").applies("d2")).isTrue();
  }

  @Test
  void aConflictOnANodeThatHadNothingLeavesItWithNothing() {
    var r = NodeConfigResolver.resolve(List.of(
            config("b", Map.of("role", "web"), 1, null, null), config("a", Map.of(), 2, null, null)),
        NODES, Map.of());

    assertThat(r.timeouts()).doesNotContainKey("w1").containsKeys("d1", "d2");
  }

  @Test
  void theOverlayPutsTimeoutsIntoTheFirstSliceOnlyAndMakesOneForANodeWithNothingElse() {
    LvsNodeStateSpec d1 = new LvsNodeStateSpec("d1", List.of(), List.of(), List.of(), List.of(), List.of());
    Map<String, LvsNodeStateSpec> desired = Map.of("d1", d1, "d1.1", d1);
    NodeTimeouts t = new NodeTimeouts("dirs", 600, null, null);

    var out = TimeoutsOverlay.apply(desired, Map.of("d1", t, "d2", t, "gone", t), Set.of("d1", "d2"));

    assertThat(out.get("d1").timeouts()).isEqualTo(t);
    assertThat(out.get("d1.1").timeouts()).isNull();
    assertThat(out.get("d2")).isEqualTo(new LvsNodeStateSpec("d2", List.of(), List.of(), List.of(), List.of(), List.of(), null, t));
    assertThat(out).doesNotContainKey("gone");
    assertThat(desired.get("d1").timeouts()).as("input untouched").isNull();
  }

  @Test
  void currentReadsOnlyTheSliceNamedAfterTheNode() {
    NodeTimeouts t = new NodeTimeouts("dirs", 600, null, null);
    assertThat(TimeoutsOverlay.current(Map.of("d1", slice("d1", "d1", t), "d2.1", slice("d2.1", "d2", t))))
        .isEqualTo(Map.of("d1", t));
  }

  static LvsNodeState slice(String name, String node, NodeTimeouts t) {
    LvsNodeState s = new LvsNodeState();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(3L).build());
    s.setSpec(new LvsNodeStateSpec(node, null, null, null, null, null, null, t));
    return s;
  }
}
