package io.lvs.agent.dataplane;

import io.lvs.agent.model.IpProtocol;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A fwmark service's marking rule as data: packets to {@code network}/{@code prefixLength} of this
 * protocol, destination port in [port, endPort] (port 0: any port), get {@code mark}, so IPVS
 * balances them as the fwmark service. Programming it (nftables) is another layer's job.
 *
 * <p>{@code clientsUplink} null: a director's rule, for all traffic arriving at the node. Set: an
 * in-cluster clients' rule (docs/in-cluster.md), for locally originated traffic only — the node's
 * own processes, and packets routed in from any interface but this uplink and the tunnel devices
 * (which bring other nodes', outside clients' and directors' DR / Tunnel traffic).
 */
public record MarkRule(
    String owner, long mark, InetAddress network, int prefixLength, IpProtocol protocol, int port, int endPort,
    String clientsUplink) {
  /** A director's marking rule. */
  public MarkRule(String owner, long mark, InetAddress network, int prefixLength, IpProtocol protocol, int port,
      int endPort) {
    this(owner, mark, network, prefixLength, protocol, port, endPort, null);
  }

  public MarkRule {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(protocol, "protocol");
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " out of 0.." + bits);
    }
    network = masked(network, prefixLength); // host bits cleared: what the kernel compares and lists
    if (mark < 1 || mark > 0xffffffffL) {
      throw new IllegalArgumentException("mark " + mark + " out of 1..4294967295");
    }
    if (port < 0 || port > 65535 || endPort < port || endPort > 65535) {
      throw new IllegalArgumentException("ports " + port + ".." + endPort + " out of range");
    }
  }

  private static InetAddress masked(InetAddress a, int prefix) {
    byte[] b = a.getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - 8 * i));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return b.length == 16 ? java.net.Inet6Address.getByAddress(null, b, null) : InetAddress.getByAddress(b);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
    }
  }

  /** This rule without its uplink: as the output hook's rule (local processes) reads back. */
  public MarkRule withoutUplink() {
    return new MarkRule(owner, mark, network, prefixLength, protocol, port, endPort, null);
  }

  public boolean forLocalClients() {
    return clientsUplink != null;
  }

  /** Any destination port (port and endPort 0). */
  public boolean anyPort() {
    return port == 0;
  }
}
