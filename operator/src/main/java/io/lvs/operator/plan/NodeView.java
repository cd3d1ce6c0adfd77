package io.lvs.operator.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.lvs.operator.resolve.NodeCandidates;
import java.util.Map;

/** What the planner needs to know about a cluster node. */
public record NodeView(String name, Map<String, String> labels, boolean ready, String internalIp) {
  public NodeView {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public static NodeView of(Node node) {
    return new NodeView(
        node.getMetadata().getName(),
        node.getMetadata().getLabels(),
        NodeCandidates.isReady(node) && node.getMetadata().getDeletionTimestamp() == null,
        NodeCandidates.address(node, "InternalIP").orElse(null));
  }
}
