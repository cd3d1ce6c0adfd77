package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.Directors;
import io.lvs.operator.resolve.Labels;
import java.util.Collection;
import java.util.List;

/**
 * Ready nodes whose labels match directors.nodeSelector, by name; and all of them, ready or not
 * (two or more: an HA group, whose membership a director turning NotReady does not change).
 */
public final class DirectorSelector {
  private DirectorSelector() {}

  /** Nodes whose labels match directors.nodeSelector, ready or not, by name. */
  public static List<NodeView> matching(Directors directors, Collection<NodeView> nodes) {
    if (directors == null) {
      return List.of();
    }
    return nodes.stream().filter(n -> Labels.matches(directors.nodeSelector(), n.labels()))
        .sorted(java.util.Comparator.comparing(NodeView::name)).toList();
  }

  public static List<NodeView> select(Directors directors, Collection<NodeView> nodes) {
    if (directors == null) {
      return List.of();
    }
    return nodes.stream()
        .filter(NodeView::ready)
        .filter(n -> Labels.matches(directors.nodeSelector(), n.labels()))
        .sorted(java.util.Comparator.comparing(NodeView::name))
        .toList();
  }
}
