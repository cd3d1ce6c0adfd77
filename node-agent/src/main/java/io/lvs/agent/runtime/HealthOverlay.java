package io.lvs.agent.runtime;

import io.lvs.agent.dataplane.DesiredDestination;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.runtime.health.MemberKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Takes failing members out locally: the desired state with weight 0 for every member the health
 * checker found down. The member stays in the kernel (its connections finish) and comes back with
 * its spec weight once it is healthy again. Pure.
 */
public final class HealthOverlay {
  private HealthOverlay() {}

  public static DesiredState apply(DesiredState desired, Set<MemberKey> down) {
    if (down.isEmpty()) {
      return desired;
    }
    Map<ServiceKey, DesiredService> services = new LinkedHashMap<>();
    // a service without a member down is the translation's own value: the sync loop keeps both
    // states, and a copy of every service would hold the table twice for one failing member
    desired.services().forEach((key, s) -> {
      Map<DestinationKey, DesiredDestination> dests = null;
      for (Map.Entry<DestinationKey, DesiredDestination> e : s.destinations().entrySet()) {
        if (down.contains(new MemberKey(key, e.getKey()))) {
          dests = dests == null ? new LinkedHashMap<>(s.destinations()) : dests;
          DesiredDestination d = e.getValue();
          dests.put(e.getKey(), new DesiredDestination(d.destination().withWeight(0), d.draining()));
        }
      }
      services.put(key, dests == null ? s : new DesiredService(s.owner(), s.service(), dests, s.drainGracePeriod()));
    });
    return new DesiredState(services, desired.addresses(), desired.links(), desired.sysctls(),
        desired.snat(), desired.marks(), desired.conflicts());
  }
}
