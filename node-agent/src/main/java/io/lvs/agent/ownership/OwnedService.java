package io.lvs.agent.ownership;

import io.lvs.agent.model.DestinationKey;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.Comparator;

/** A service this agent created, its owner, and the destinations in it that this agent added. */
public record OwnedService(String owner, Set<DestinationKey> destinations) {
  /** By address bytes (IPv4 before IPv6), then port: a stable order for the state file. */
  static final Comparator<DestinationKey> ORDER =
      Comparator.comparing((DestinationKey k) -> k.address().getAddress(), Arrays::compareUnsigned)
          .thenComparingInt(DestinationKey::port);

  public OwnedService {
    Objects.requireNonNull(owner, "owner");
    TreeSet<DestinationKey> sorted = new TreeSet<>(ORDER);
    sorted.addAll(destinations);
    destinations = Collections.unmodifiableSet(sorted);
  }
}
