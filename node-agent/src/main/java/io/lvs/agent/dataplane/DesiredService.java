package io.lvs.agent.dataplane;

import io.lvs.agent.model.ArrayMap;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An IPVS service the node must hold, with its destinations keyed as the kernel keys them
 * (address, port). {@code owner} is "namespace/name" of the VirtualService. A destination that
 * leaves the desired state is first set to weight 0 and deleted once its active connections reach
 * 0 or {@code drainGracePeriod} has passed (UDP and a zero period: at once).
 */
public record DesiredService(
    String owner,
    IpvsService service,
    Map<DestinationKey, DesiredDestination> destinations,
    Duration drainGracePeriod) {
  public DesiredService {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(drainGracePeriod, "drainGracePeriod");
    if (drainGracePeriod.isNegative()) {
      throw new IllegalArgumentException("negative drain grace period for " + service.key());
    }
    destinations = ArrayMap.copyOf(destinations); // one array per service, not an entry object per destination
    destinations.forEach(
        (k, d) -> {
          if (!k.equals(d.destination().key())) {
            throw new IllegalArgumentException("destination " + d + " filed under key " + k);
          }
        });
  }

  /** A service whose removed destinations are deleted at once. */
  public static DesiredService of(String owner, IpvsService service, Iterable<DesiredDestination> dests) {
    Map<DestinationKey, DesiredDestination> m = new LinkedHashMap<>();
    for (DesiredDestination d : dests) {
      if (m.put(d.destination().key(), d) != null) {
        throw new IllegalArgumentException("destination " + d.destination().key() + " twice in " + service.key());
      }
    }
    return new DesiredService(owner, service, m, Duration.ZERO);
  }

  public ServiceKey key() {
    return service.key();
  }

  public DesiredService withDrainGracePeriod(Duration grace) {
    return new DesiredService(owner, service, destinations, grace);
  }
}
