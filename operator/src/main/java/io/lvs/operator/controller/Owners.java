package io.lvs.operator.controller;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.lvs.api.slices.SpecOwners;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.operator.status.NodeReports;
import java.util.Set;
import java.util.stream.Collectors;

/** Which VirtualServices ("namespace/name" owners) a slice speaks about. Pure. */
final class Owners {
  private Owners() {}

  /** The VirtualServices a slice names in its spec or its agent's report (the slice mapper). */
  static Set<ResourceID> named(LvsNodeState s) {
    Set<String> keys = SpecOwners.of(s.getSpec());
    if (s.getStatus() != null && s.getStatus().owners() != null) {
      s.getStatus().owners().forEach(o -> keys.add(o.owner()));
    }
    return keys.stream().filter(k -> k != null && k.contains("/")).map(Owners::resourceId).collect(Collectors.toSet());
  }

  /**
   * Does this slice still carry the owner: in its spec (not yet rewritten), or in what its agent
   * last reported (not yet removed from the kernel, or not yet seen the new spec)?
   */
  static boolean holds(LvsNodeState s, String owner) {
    if (s.getSpec() != null && SpecOwners.of(s.getSpec()).contains(owner)) {
      return true;
    }
    if (s.getStatus() == null) {
      return false;
    }
    return NodeReports.ownerReport(s, owner) != null
        || (s.getStatus().services() != null && s.getStatus().services().stream().anyMatch(r -> owner.equals(r.owner())));
  }

  static ResourceID resourceId(String key) {
    int slash = key.indexOf('/');
    return new ResourceID(key.substring(slash + 1), key.substring(0, slash));
  }
}
