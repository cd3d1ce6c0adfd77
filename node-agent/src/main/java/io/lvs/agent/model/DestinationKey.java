package io.lvs.agent.model;

import java.net.InetAddress;
import java.util.Objects;

/** A destination within a service, as the kernel keys it: address and port. */
public record DestinationKey(InetAddress address, int port) {
  public DestinationKey {
    Objects.requireNonNull(address, "address");
  }

  @Override
  public String toString() {
    return Endpoints.format(address, port);
  }
}
