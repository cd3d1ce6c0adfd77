package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.Directors;
import io.lvs.operator.resolve.Labels;
import java.util.Collection;
import java.util.List;

/** Ready nodes whose labels match directors.nodeSelector, by name; and whether they form an HA group. */
public final class DirectorSelector {
  private DirectorSelector() {}

  /**
   * Whether the directors are an HA group: their selector matches two or more nodes, ready or not,
   * so a director turning NotReady does not switch the VIP between the agents' election and the
   * operator's Lease.
   */
  public static boolean highlyAvailable(Directors directors, Collection<NodeView> nodes) {
    return directors != null && nodes.stream().filter(n -> Labels.matches(directors.nodeSelector(), n.labels())).limit(2).count() >= 2;
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
