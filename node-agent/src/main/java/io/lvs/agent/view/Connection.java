package io.lvs.agent.view;

import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.Endpoints;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One entry of the kernel's IPVS connection table, as /proc/net/ip_vs_conn lists it. {@code
 * protocol} is the kernel's name ("TCP", "UDP", "SCTP"; "IP" for a fwmark persistence template);
 * {@code state} its state name; {@code template} true for a persistence template (the entry that
 * pins a client to a real server, not a connection).
 */
public record Connection(
    String protocol,
    InetAddress client,
    int clientPort,
    InetAddress virtualAddress,
    int virtualPort,
    InetAddress destination,
    int destinationPort,
    String state,
    long expiresSeconds,
    boolean template) {
  public Connection {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(virtualAddress, "virtualAddress");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(state, "state");
  }

  public DestinationKey destinationKey() {
    return new DestinationKey(destination, destinationPort);
  }

  public String clientEndpoint() {
    return Endpoints.format(client, clientPort);
  }

  public String virtualEndpoint() {
    return Endpoints.format(virtualAddress, virtualPort);
  }

  public String destinationEndpoint() {
    return Endpoints.format(destination, destinationPort);
  }
}
