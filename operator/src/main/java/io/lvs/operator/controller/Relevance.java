package io.lvs.operator.controller;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.lvs.operator.plan.NodeView;
import io.lvs.operator.resolve.NodeCandidates;
import java.util.Objects;

/**
 * Which updates matter: kubelets rewrite Node and Pod status every few seconds (heartbeats); only a
 * change the resolver or planner would see may trigger a reconcile.
 */
final class Relevance {
  private Relevance() {}

  static boolean nodeChanged(Node a, Node b) {
    return !NodeView.of(a).equals(NodeView.of(b))
        || !Objects.equals(NodeCandidates.address(a, "ExternalIP"), NodeCandidates.address(b, "ExternalIP"));
  }

  static boolean podChanged(Pod a, Pod b) {
    return !Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels())
        || !Objects.equals(a.getMetadata().getDeletionTimestamp(), b.getMetadata().getDeletionTimestamp())
        || !Objects.equals(a.getSpec().getNodeName(), b.getSpec().getNodeName())
        || !Objects.equals(podFacts(a), podFacts(b));
  }

  private static String podFacts(Pod p) {
    if (p.getStatus() == null) {
      return "";
    }
    boolean ready =
        p.getStatus().getConditions() != null
            && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    return p.getStatus().getPhase() + "|" + p.getStatus().getPodIP() + "|" + p.getStatus().getPodIPs() + "|" + ready;
  }
}
