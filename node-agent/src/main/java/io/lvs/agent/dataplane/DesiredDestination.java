package io.lvs.agent.dataplane;

import io.lvs.agent.model.Destination;
import java.util.Objects;

/**
 * One destination a service must hold. A draining destination stays in the kernel at weight 0
 * (existing connections finish, no new ones are scheduled) until the operator drops it; one that
 * is not in the kernel is not added (there is nothing to drain).
 */
public record DesiredDestination(Destination destination, boolean draining) {
  public DesiredDestination {
    Objects.requireNonNull(destination, "destination");
  }

  public static DesiredDestination of(Destination destination) {
    return new DesiredDestination(destination, false);
  }

  /** What the kernel must hold for this destination. */
  public Destination kernelDestination() {
    return draining ? destination.withWeight(0) : destination;
  }
}
