package io.lvs.agent.model;

import java.net.InetAddress;
import java.util.Objects;

/** A destination within a service, as the kernel keys it: address and port. */
public record DestinationKey(InetAddress address, int port) {
  public DestinationKey {
    Objects.requireNonNull(address, "address");
  }

  // Written out, as the record would define it: the generated method's method-handle chain costs
  // several times more under C1 (the agent image's compiler), and these are the table's map keys.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof DestinationKey k && port == k.port && address.equals(k.address);
  }

  @Override
  public int hashCode() {
    return address.hashCode() * 31 + port;
  }

  @Override
  public String toString() {
    return Endpoints.format(address, port);
  }
}
