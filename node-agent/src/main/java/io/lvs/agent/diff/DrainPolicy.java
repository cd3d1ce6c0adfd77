package io.lvs.agent.diff;

import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ServiceKey;
import java.time.Duration;

/**
 * Decides whether an owned destination that left the desired state may be deleted now, or must
 * stay at weight 0 a while longer so its connections can finish. The differ stays pure: all
 * time-keeping lives in the policy (see io.lvs.agent.apply.ConnectionDrainer).
 */
@FunctionalInterface
public interface DrainPolicy {
  /** Deletes at once: the behaviour for a zero grace period. */
  DrainPolicy IMMEDIATE = (service, destination, grace) -> true;

  boolean mayDelete(ServiceKey service, ObservedDestination destination, Duration gracePeriod);

  /** Called by the differ before it consults the policy for one plan. */
  default void beginRound() {}

  /** Called after the plan is made: destinations not consulted in the round are no longer draining. */
  default void endRound() {}
}
