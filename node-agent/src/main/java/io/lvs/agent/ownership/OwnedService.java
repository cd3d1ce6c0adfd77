package io.lvs.agent.ownership;

import io.lvs.agent.model.DestinationKey;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.Comparator;

/**
 * A service this agent created, its owner, and the destinations in it that this agent added (an
 * immutable set in {@link #ORDER}, held compactly: see {@link DestinationKeySet}).
 */
public record OwnedService(String owner, Set<DestinationKey> destinations) {
  /** By address bytes compared unsigned (a shorter prefix first), then port: a stable order for the state file. */
  static final Comparator<DestinationKey> ORDER =
      Comparator.comparing((DestinationKey k) -> k.address().getAddress(), Arrays::compareUnsigned)
          .thenComparingInt(DestinationKey::port);

  public OwnedService {
    Objects.requireNonNull(owner, "owner");
    destinations = DestinationKeySet.of(destinations);
  }
}
