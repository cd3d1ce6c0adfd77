package io.lvs.agent.runtime;

import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.TimeoutsReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Puts the node's timeouts report into one slice's status: the slice named after the node (the one
 * the operator puts the timeouts in), else the first by name. Pure.
 */
final class TimeoutsStatus {
  private TimeoutsStatus() {}

  static Map<String, LvsNodeStateStatus> attach(Map<String, LvsNodeStateStatus> statuses, SliceUnion slices,
      TimeoutsReport report) {
    if (report == null || statuses.isEmpty()) {
      return statuses;
    }
    String node = slices.spec().nodeName();
    String first = node != null && statuses.containsKey(NodeSlices.name(node, 0))
        ? NodeSlices.name(node, 0) : new TreeSet<>(statuses.keySet()).first();
    Map<String, LvsNodeStateStatus> out = new LinkedHashMap<>(statuses);
    LvsNodeStateStatus s = statuses.get(first);
    out.put(first, new LvsNodeStateStatus(s.observedGeneration(), s.conditions(), s.lastSyncTime(), s.owners(),
        s.services(), report));
    return out;
  }
}
