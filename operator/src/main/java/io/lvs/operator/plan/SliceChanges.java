package io.lvs.operator.plan;

import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.operator.diff.NodeStateChange;
import io.lvs.operator.diff.NodeStateDiff;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The slice writes that bring the slice objects to the desired slices: the diff, and the clean-up of
 * surplus slices. A slice may go once it is empty and either its node is gone or it is an extra
 * slice (not the one named after its node) whose agent has seen its current generation, i.e. has
 * removed what it held; an emptied extra slice not yet confirmed is reported so the caller looks
 * again later. A slice found equal before, with the same desired and cached spec objects since, is
 * not compared again (optional memo: without it the writes are equal).
 */
public final class SliceChanges {
  private final boolean memoize;
  private Map<String, Verified> verified = new HashMap<>();

  /** A desired spec and the cached slice spec it was found equal to (identities). */
  private record Verified(LvsNodeStateSpec desired, LvsNodeStateSpec existing) {}

  /** The writes to make, and whether an emptied extra slice awaits its agent's confirmation. */
  public record Changes(List<NodeStateChange> writes, boolean awaitingConfirmation) {}

  public SliceChanges(boolean memoize) {
    this.memoize = memoize;
  }

  /**
   * @param desired spec per slice that must hold something ({@link NodeSlicing.Slices#desired})
   * @param objects the slice objects now, by name
   * @param liveNodes the cluster's nodes
   */
  public Changes between(Map<String, LvsNodeStateSpec> desired, Map<String, LvsNodeState> objects, Set<String> liveNodes) {
    Map<String, LvsNodeStateSpec> existing = new HashMap<>();
    Set<String> deletable = new HashSet<>();
    boolean awaiting = false;
    for (Map.Entry<String, LvsNodeState> e : objects.entrySet()) {
      String name = e.getKey();
      existing.put(name, e.getValue().getSpec());
      if (removable(name, e.getValue(), liveNodes)) {
        deletable.add(name);
      } else if (!desired.containsKey(name) && extraSlice(name, e.getValue())) {
        awaiting = true; // an extra slice of a live node holds nothing in the plan, not yet removable
      }
    }
    Map<String, LvsNodeStateSpec> compared = new HashMap<>(desired);
    verified.forEach((n, v) -> {
      if (compared.get(n) == v.desired() && existing.get(n) == v.existing() && existing.containsKey(n)) {
        compared.remove(n);
        existing.remove(n);
      }
    });
    List<NodeStateChange> writes = NodeStateDiff.diff(compared, existing, deletable);
    if (memoize) {
      remember(desired, compared, existing, writes);
    }
    return new Changes(writes, awaiting);
  }

  private void remember(Map<String, LvsNodeStateSpec> desired, Map<String, LvsNodeStateSpec> compared,
      Map<String, LvsNodeStateSpec> existing, List<NodeStateChange> writes) {
    Set<String> writing = new HashSet<>();
    writes.forEach(c -> writing.add(c.name()));
    Map<String, Verified> now = new HashMap<>();
    desired.forEach((n, spec) -> {
      if (!writing.contains(n)) {
        now.put(n, compared.containsKey(n) ? new Verified(spec, existing.get(n)) : verified.get(n));
      }
    });
    verified = now;
  }

  /** Empty-able into a delete: its node is gone, or it is an extra slice its agent has caught up with. */
  static boolean removable(String name, LvsNodeState o, Set<String> liveNodes) {
    if (!liveNodes.contains(NodeSlices.nodeOf(o))) {
      return true;
    }
    if (!extraSlice(name, o) || o.getStatus() == null || o.getStatus().observedGeneration() == null) {
      return false;
    }
    Long generation = o.getMetadata().getGeneration();
    return generation != null && o.getStatus().observedGeneration() >= generation;
  }

  /** Not the slice named after its node (which stays while the node does). */
  static boolean extraSlice(String name, LvsNodeState o) {
    return !name.equals(NodeSlices.name(NodeSlices.nodeOf(o), 0));
  }
}
