package io.lvs.agent.runtime;

import io.lvs.api.v1alpha1.OwnerReport;
import io.lvs.api.v1alpha1.ServiceReport;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One sync's outcome for the whole node, before it is split over the slices: a report per owner
 * (sorted by owner), the number of probed members down per owner, a whole-sync failure (null when
 * the sync got through), which concerns every slice, and how to build the reports of the services
 * of some owners ({@code servicesOf}, in the node's order; built per slice when its status is
 * written, see {@link SliceStatus}).
 */
public record NodeReport(
    List<OwnerReport> owners, Function<Set<String>, List<ServiceReport>> servicesOf,
    Map<String, Integer> unhealthyByOwner, String failure) {
  public NodeReport {
    owners = List.copyOf(owners);
    Objects.requireNonNull(servicesOf, "servicesOf");
    unhealthyByOwner = Map.copyOf(unhealthyByOwner);
  }
}
