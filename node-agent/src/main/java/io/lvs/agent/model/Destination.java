package io.lvs.agent.model;

import java.util.Objects;

/** The configurable attributes of one IPVS destination (IPVS_DEST_ATTR_*). */
public record Destination(
    DestinationKey key,
    ForwardMethod forwardMethod,
    int weight,
    long upperThreshold,
    long lowerThreshold,
    TunnelType tunnelType,
    int tunnelPort,
    int tunnelFlags) {
  public Destination {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(forwardMethod, "forwardMethod");
    Objects.requireNonNull(tunnelType, "tunnelType");
    if (weight < 0) {
      throw new IllegalArgumentException("negative weight " + weight + " for " + key);
    }
  }

  public static Destination of(DestinationKey key, ForwardMethod method, int weight) {
    return new Destination(key, method, weight, 0, 0, TunnelType.IPIP, 0, 0);
  }

  public Destination withWeight(int newWeight) {
    return new Destination(
        key, forwardMethod, newWeight, upperThreshold, lowerThreshold, tunnelType, tunnelPort, tunnelFlags);
  }
}
