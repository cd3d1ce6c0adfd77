package io.lvs.agent.runtime;

import io.lvs.api.v1alpha1.OwnerReport;
import io.lvs.api.v1alpha1.ServiceReport;
import java.util.Map;
import java.util.List;

/**
 * One sync's outcome for the whole node, before it is split over the slices: a report per owner
 * (sorted by owner) and per service, the number of probed members down per owner, and a
 * whole-sync failure (null when the sync got through), which concerns every slice.
 */
public record NodeReport(
    List<OwnerReport> owners, List<ServiceReport> services, Map<String, Integer> unhealthyByOwner, String failure) {
  public NodeReport {
    owners = List.copyOf(owners);
    services = List.copyOf(services);
    unhealthyByOwner = Map.copyOf(unhealthyByOwner);
  }
}
