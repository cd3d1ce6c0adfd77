package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per node, the current part of every owner on it (owner order) and the spec merged from them:
 * only nodes where a part came, went or changed are merged again, and the others keep the very
 * same spec object, so the caller can tell "unchanged" without comparing 3,000 entries. A memo
 * of the planner, used from its one thread at a time.
 */
final class NodeParts {
  private final Map<String, TreeMap<String, LvsNodeStateSpec>> parts = new HashMap<>();
  private final Map<String, Merged> merged = new HashMap<>();
  /** Nodes whose parts changed since the last {@link #mergeChanged}. */
  private final Set<String> changed = new HashSet<>();

  /** A node's parts (owner order) and the spec merged from them. */
  private record Merged(List<LvsNodeStateSpec> parts, LvsNodeStateSpec spec) {}

  /**
   * Moves one owner's parts from its old fragment's nodes to its new one's (null: none). A node
   * whose part for this owner is equal to before is not touched: one member's weight changes the
   * directors' part, not the parts of the 20 real-server nodes, and only changed nodes are merged
   * (and sliced and compared) again.
   */
  void replace(String owner, Fragment before, Fragment after) {
    Map<String, LvsNodeStateSpec> was = before == null ? Map.of() : before.nodes();
    Map<String, LvsNodeStateSpec> now = after == null ? Map.of() : after.nodes();
    for (String n : was.keySet()) {
      if (!now.containsKey(n)) {
        TreeMap<String, LvsNodeStateSpec> m = parts.get(n);
        if (m != null) {
          m.remove(owner);
        }
        changed.add(n);
      }
    }
    now.forEach((n, part) -> {
      LvsNodeStateSpec old = was.get(n);
      TreeMap<String, LvsNodeStateSpec> m = parts.computeIfAbsent(n, k -> new TreeMap<>());
      if (old != null && old.equals(part) && m.containsKey(owner)) {
        return; // the node keeps the equal part it has
      }
      m.put(owner, part);
      changed.add(n);
    });
  }

  /** Merges again the nodes whose parts changed; a node left without parts is dropped. */
  void mergeChanged() {
    for (String n : changed) {
      TreeMap<String, LvsNodeStateSpec> owners = parts.get(n);
      if (owners == null || owners.isEmpty()) {
        parts.remove(n);
        merged.remove(n);
      } else {
        List<LvsNodeStateSpec> list = List.copyOf(owners.values());
        merged.put(n, new Merged(list, NodeSlicer.build(n, list)));
      }
    }
    changed.clear();
  }

  /** Per node, its merged spec. */
  Map<String, LvsNodeStateSpec> specs() {
    Map<String, LvsNodeStateSpec> out = new TreeMap<>();
    merged.forEach((n, m) -> out.put(n, m.spec()));
    return out;
  }

  /** Per node, its parts in owner order. */
  Map<String, List<LvsNodeStateSpec>> parts() {
    Map<String, List<LvsNodeStateSpec>> out = new TreeMap<>();
    merged.forEach((n, m) -> out.put(n, m.parts()));
    return out;
  }
}
