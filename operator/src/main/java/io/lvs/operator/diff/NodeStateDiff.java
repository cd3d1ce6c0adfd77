package io.lvs.operator.diff;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Desired node specs against what the node objects hold now: the minimal writes. Equal specs give
 * no write, which is what keeps 2,000 VirtualServices from becoming a write storm. Null and empty
 * lists are the same thing here, as they are to the agent.
 */
public final class NodeStateDiff {
  private NodeStateDiff() {}

  /**
   * @param desired spec per node-state object (slice) from the planner and slicer
   * @param existing spec per node-state object now (null spec allowed)
   * @param deletable objects that may be removed once empty (their node is gone, or they are
   *     surplus slices their agent has confirmed empty)
   */
  public static List<NodeStateChange> diff(
      Map<String, LvsNodeStateSpec> desired, Map<String, LvsNodeStateSpec> existing, Set<String> deletable) {
    List<NodeStateChange> out = new ArrayList<>();
    Set<String> names = new TreeSet<>(desired.keySet());
    names.addAll(existing.keySet());
    for (String n : names) {
      LvsNodeStateSpec want = desired.get(n);
      boolean has = existing.containsKey(n);
      LvsNodeStateSpec now = existing.get(n);
      if (want == null) {
        if (has && !isEmpty(now)) {
          out.add(new NodeStateChange.Update(n, empty(now == null || now.nodeName() == null ? n : now.nodeName())));
        } else if (has && deletable.contains(n)) {
          out.add(new NodeStateChange.Delete(n));
        }
        continue;
      }
      if (!has) {
        out.add(new NodeStateChange.Create(n, want));
      } else if (!normalize(want).equals(normalize(now))) {
        out.add(new NodeStateChange.Update(n, want));
      }
    }
    return out;
  }

  /** An empty spec for a slice of this node. */
  public static LvsNodeStateSpec empty(String node) {
    return new LvsNodeStateSpec(node, List.of(), List.of(), List.of(), List.of(), List.of());
  }

  public static boolean isEmpty(LvsNodeStateSpec s) {
    if (s == null) {
      return true;
    }
    LvsNodeStateSpec n = normalize(s);
    return n.services().isEmpty() && n.addresses().isEmpty() && n.links().isEmpty()
        && n.sysctls().isEmpty() && n.snat().isEmpty() && n.marks().isEmpty() && n.timeouts() == null
        && n.vipCandidates().isEmpty();
  }

  static LvsNodeStateSpec normalize(LvsNodeStateSpec s) {
    if (s == null) {
      return new LvsNodeStateSpec(null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, List.of());
    }
    return new LvsNodeStateSpec(
        s.nodeName(), orEmpty(s.services()), orEmpty(s.addresses()), orEmpty(s.links()), orEmpty(s.sysctls()),
        orEmpty(s.snat()), orEmpty(s.marks()), s.timeouts(), orEmpty(s.vipCandidates()));
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }
}
