package io.lvs.agent.dataplane;

import java.util.Objects;
import java.util.Set;

/**
 * An object the agent was asked for but will not touch: it exists in the kernel and this agent
 * did not create it (kube-proxy's service, a hand-made address), or two owners want it
 * differently. Reported to the owners; nothing is changed for it.
 */
public record Conflict(ObjectRef object, Set<String> owners, String reason) {
  public Conflict {
    Objects.requireNonNull(object, "object");
    owners = Set.copyOf(owners);
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String toString() {
    return object + ": " + reason + " (wanted by " + owners + ")";
  }
}
