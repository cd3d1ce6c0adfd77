package io.lvs.agent.dataplane;

import io.lvs.agent.model.IpProtocol;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * FullNAT's second half as data: traffic to these real servers on this port leaves with
 * {@code toSource} as its source address. The dataplane carries it; programming it (nftables) is
 * another layer's job.
 */
public record SnatRule(
    String owner, IpProtocol protocol, List<InetAddress> realServers, int port, InetAddress toSource) {
  public SnatRule {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(protocol, "protocol");
    realServers = List.copyOf(realServers);
    Objects.requireNonNull(toSource, "toSource");
  }
}
