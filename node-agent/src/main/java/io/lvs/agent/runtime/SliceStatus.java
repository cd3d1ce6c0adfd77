package io.lvs.agent.runtime;

import io.fabric8.kubernetes.api.model.Condition;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.ServiceReport;
import io.lvs.api.v1alpha1.TimeoutsReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One slice's status as a sync leaves it: all but the report per service and destination
 * ({@code head}: generation, conditions, sync time, owners, timeouts), and how to build that
 * report ({@code services}, reading only immutable values of the sync). The status writer builds a
 * slice's reports when it writes that slice, one slice at a time: built for every slice at once,
 * a sync at 10,000 services x 10 held 100,000 destination reports until the last slice was written.
 */
public record SliceStatus(LvsNodeStateStatus head, Supplier<List<ServiceReport>> services) {
  public SliceStatus {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(services, "services");
  }

  public List<Condition> conditions() {
    return head.conditions();
  }

  /** The same status with the node's timeouts report in it. */
  public SliceStatus withTimeouts(TimeoutsReport timeouts) {
    return new SliceStatus(new LvsNodeStateStatus(head.observedGeneration(), head.conditions(), head.lastSyncTime(),
        head.owners(), null, timeouts), services);
  }

  /** The whole status, its service reports built now. */
  public LvsNodeStateStatus build() {
    return new LvsNodeStateStatus(head.observedGeneration(), head.conditions(), head.lastSyncTime(), head.owners(),
        List.copyOf(services.get()), head.timeouts());
  }

  /** Every slice's whole status, in the same order (tests and callers that want them all at once). */
  public static Map<String, LvsNodeStateStatus> buildAll(Map<String, SliceStatus> bySlice) {
    Map<String, LvsNodeStateStatus> out = new LinkedHashMap<>();
    bySlice.forEach((slice, s) -> out.put(slice, s.build()));
    return out;
  }
}
