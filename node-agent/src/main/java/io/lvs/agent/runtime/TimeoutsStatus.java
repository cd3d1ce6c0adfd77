package io.lvs.agent.runtime;

import io.lvs.api.slices.NodeSlices;
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

  static Map<String, SliceStatus> attach(Map<String, SliceStatus> statuses, SliceUnion slices,
      TimeoutsReport report) {
    if (report == null || statuses.isEmpty()) {
      return statuses;
    }
    String node = slices.spec().nodeName();
    String first = node != null && statuses.containsKey(NodeSlices.name(node, 0))
        ? NodeSlices.name(node, 0) : new TreeSet<>(statuses.keySet()).first();
    Map<String, SliceStatus> out = new LinkedHashMap<>(statuses);
    out.put(first, statuses.get(first).withTimeouts(report));
    return out;
  }
}
