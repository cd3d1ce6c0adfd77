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

  // Written out, as the record would define it: the generated method's method-handle chain costs
  // several times more under C1 (the agent image's compiler), and the diff compares every one.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof Destination d && weight == d.weight && upperThreshold == d.upperThreshold
        && lowerThreshold == d.lowerThreshold && tunnelPort == d.tunnelPort && tunnelFlags == d.tunnelFlags
        && forwardMethod == d.forwardMethod && tunnelType == d.tunnelType && key.equals(d.key);
  }

  @Override
  public int hashCode() {
    int h = key.hashCode();
    h = h * 31 + forwardMethod.hashCode();
    h = h * 31 + weight;
    h = h * 31 + Long.hashCode(upperThreshold);
    h = h * 31 + Long.hashCode(lowerThreshold);
    h = h * 31 + tunnelType.hashCode();
    h = h * 31 + tunnelPort;
    return h * 31 + tunnelFlags;
  }

  public Destination withWeight(int newWeight) {
    return new Destination(
        key, forwardMethod, newWeight, upperThreshold, lowerThreshold, tunnelType, tunnelPort, tunnelFlags);
  }
}
