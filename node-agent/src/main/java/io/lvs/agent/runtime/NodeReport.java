package io.lvs.agent.runtime;

import io.lvs.agent.dataplane.DesiredService;
import io.lvs.api.v1alpha1.OwnerReport;
import io.lvs.api.v1alpha1.ServiceReport;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One sync's outcome for the whole node, before it is split over the slices: a report per owner
 * (sorted by owner), the number of probed members down per owner, a whole-sync failure (null when
 * the sync got through), which concerns every slice, the services in the node's order, and how to
 * build one service's report ({@code serviceReport}: done per slice when its status is written,
 * see {@link SliceStatus}).
 */
public record NodeReport(
    List<OwnerReport> owners, List<DesiredService> services, Function<DesiredService, ServiceReport> serviceReport,
    Map<String, Integer> unhealthyByOwner, String failure) {
  public NodeReport {
    owners = List.copyOf(owners);
    services = List.copyOf(services);
    Objects.requireNonNull(serviceReport, "serviceReport");
    unhealthyByOwner = Map.copyOf(unhealthyByOwner);
  }
}
