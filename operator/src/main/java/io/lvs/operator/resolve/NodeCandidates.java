package io.lvs.operator.resolve;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.lvs.api.v1alpha1.NodeAddressType;
import io.lvs.api.v1alpha1.NodeMembers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Candidates from nodes whose labels match, at their InternalIP (or ExternalIP). */
public final class NodeCandidates {
  private NodeCandidates() {}

  public static List<Candidate> from(NodeMembers sel, List<Node> nodes) {
    NodeAddressType type = sel.addressType() == null ? NodeAddressType.InternalIP : sel.addressType();
    List<Candidate> out = new ArrayList<>();
    for (Node node : nodes) {
      if (!Labels.matches(sel.matchLabels(), node.getMetadata().getLabels())) {
        continue;
      }
      boolean ready = isReady(node) && node.getMetadata().getDeletionTimestamp() == null;
      address(node, type.name())
          .ifPresent(a -> out.add(new Candidate(a, sel.port(), node.getMetadata().getName(), ready, MemberSource.NODE, null)));
    }
    return out;
  }

  /** The node's first address of the given type (InternalIP, ExternalIP). */
  public static Optional<String> address(Node node, String type) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return Optional.empty();
    }
    return node.getStatus().getAddresses().stream()
        .filter(a -> type.equals(a.getType()))
        .map(NodeAddress::getAddress)
        .findFirst();
  }

  /** A node is ready when its Ready condition is True. */
  public static boolean isReady(Node node) {
    return node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
