package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.HealthCheck;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.operator.resolve.Member;
import java.time.Instant;
import java.util.List;

/**
 * One VirtualService as the planner sees it: its key ("namespace/name"), spec, creation time (the
 * older one keeps a contested address), resolved members (serving and draining), and the pool's
 * connection limits and health check. {@code active} is false for one being deleted or invalid: it
 * claims nothing and programs nothing.
 */
public record ServiceInput(
    String key,
    VirtualServiceSpec spec,
    Instant created,
    List<Member> members,
    Long upperThreshold,
    Long lowerThreshold,
    HealthCheck healthCheck,
    boolean active) {
  public ServiceInput {
    members = List.copyOf(members);
  }
}
