package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole desired state: per node, the spec it must program and the same cut into one part per
 * owner (owner order; an unchanged owner's part is the same object as in the previous plan); per
 * VirtualService, what the planner decided about it; per VIP, the director that should hold it
 * (lease holder to record).
 */
public record ClusterPlan(
    Map<String, LvsNodeStateSpec> nodes, Map<String, List<LvsNodeStateSpec>> parts, Map<String, Outcome> services,
    Map<String, String> vipHolders) {

  /**
   * What happened to one VirtualService: a conflict message (or null), its directors, the node that
   * holds its VIP now (null while none or during a handover), every node it programs, and the DR
   * members that cannot be L2 neighbours of the VIP holder (address to reason).
   */
  public record Outcome(String conflict, List<String> directors, String vipHolder, Set<String> nodes,
      Map<String, String> notL2Neighbours) {
    public Outcome {
      notL2Neighbours = notL2Neighbours == null ? Map.of() : Map.copyOf(notL2Neighbours);
    }

    /** Without unreachable members. */
    public Outcome(String conflict, List<String> directors, String vipHolder, Set<String> nodes) {
      this(conflict, directors, vipHolder, nodes, Map.of());
    }
  }
}
