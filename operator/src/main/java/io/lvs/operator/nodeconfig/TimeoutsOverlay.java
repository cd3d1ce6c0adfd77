package io.lvs.operator.nodeconfig;

import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeTimeouts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Puts each node's timeouts into the desired spec of its first slice (the one named after it),
 * creating that slice's spec when the node has nothing else to hold. Pure.
 */
public final class TimeoutsOverlay {
  private TimeoutsOverlay() {}

  /** What the first slices of the nodes hold now, by node (from the slice objects). */
  public static Map<String, NodeTimeouts> current(Map<String, LvsNodeState> objects) {
    Map<String, NodeTimeouts> out = new HashMap<>();
    objects.forEach((name, o) -> {
      String node = NodeSlices.nodeOf(o);
      if (o.getSpec() != null && o.getSpec().timeouts() != null && name.equals(NodeSlices.name(node, 0))) {
        out.put(node, o.getSpec().timeouts());
      }
    });
    return out;
  }

  /**
   * @param desired spec per slice from the slicing (not modified)
   * @param timeouts per node, what its first slice must carry
   * @param liveNodes the cluster's nodes (a gone node gets nothing new)
   * @return the desired specs with the timeouts in
   */
  public static Map<String, LvsNodeStateSpec> apply(Map<String, LvsNodeStateSpec> desired, Map<String, NodeTimeouts> timeouts,
      Set<String> liveNodes) {
    if (timeouts.isEmpty()) {
      return desired;
    }
    Map<String, LvsNodeStateSpec> out = new HashMap<>(desired);
    timeouts.forEach((node, t) -> {
      if (!liveNodes.contains(node)) {
        return;
      }
      String first = NodeSlices.name(node, 0);
      LvsNodeStateSpec spec = out.get(first);
      if (spec == null) {
        out.put(first, new LvsNodeStateSpec(node, List.of(), List.of(), List.of(), List.of(), List.of(), null, t));
      } else if (!Objects.equals(spec.timeouts(), t)) {
        out.put(first, spec.withTimeouts(t));
      }
    });
    return out;
  }
}
