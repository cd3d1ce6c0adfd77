package io.lvs.operator.sync;

import io.lvs.operator.plan.ClusterPlan;
import java.util.Optional;
import java.util.Set;

/**
 * The last plan the node-state sync wrote, as the VirtualService controller reads it for status.
 * Read-only: results flow from the sync to status, never back.
 */
public interface PlannedState {
  /** What the last plan decided for this VirtualService ("namespace/name"); empty before it was planned. */
  Optional<ClusterPlan.Outcome> outcome(String key);

  /** The slice (node-state object) that holds this owner's entries on this node; empty when it has none there. */
  Optional<String> sliceOf(String node, String owner);

  /** The owners (VirtualService keys) the last plan put on this node. */
  Set<String> ownersOn(String node);
}
