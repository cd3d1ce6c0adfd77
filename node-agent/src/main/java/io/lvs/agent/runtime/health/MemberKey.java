package io.lvs.agent.runtime.health;

import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ServiceKey;
import java.util.Objects;

/** One real server of one IPVS service: what a health check probes and what it takes out. */
public record MemberKey(ServiceKey service, DestinationKey destination) {
  public MemberKey {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(destination, "destination");
  }

  @Override
  public String toString() {
    return service + " -> " + destination;
  }
}
