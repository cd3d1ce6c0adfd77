package io.lvs.agent.view;

import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.Family;
import io.lvs.agent.model.ServiceKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which connection entries belong to which of this agent's services. The table has every owner's
 * connections (kube-proxy's, keepalived's); only ours are served. An address service's entries
 * carry its protocol, VIP and port. A fwmark service's connections carry the address the client
 * used (the mark is not listed), so they are matched by destination among the fwmark service's
 * real servers; its templates carry protocol IP and the mark as the virtual address.
 */
public final class OwnedConnections {
  /** One of our services: who owns it, its kernel key, its real servers. */
  public record OwnedService(String owner, ServiceKey key, Set<DestinationKey> destinations) {}

  /** A connection entry with the service it belongs to. */
  public record Entry(OwnedService service, Connection connection) {}

  private OwnedConnections() {}

  /** The entries of {@code services}, in table order; others are left out. */
  public static List<Entry> of(List<Connection> table, Collection<OwnedService> services) {
    List<Entry> out = new ArrayList<>();
    for (Connection c : table) {
      match(c, services).ifPresent(s -> out.add(new Entry(s, c)));
    }
    return out;
  }

  private static Optional<OwnedService> match(Connection c, Collection<OwnedService> services) {
    for (OwnedService s : services) {
      ServiceKey k = s.key();
      if (!k.isFwmark() && k.protocol().name().equals(c.protocol()) && k.address().equals(c.virtualAddress())
          && k.port() == c.virtualPort()) {
        return Optional.of(s);
      }
    }
    for (OwnedService s : services) {
      ServiceKey k = s.key();
      if (k.isFwmark() && s.destinations().contains(c.destinationKey())
          && (!"IP".equals(c.protocol()) || markAddress(k).equals(c.virtualAddress()))) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The kernel files a fwmark template under the mark as an address (htonl(mark), rest zero). */
  static InetAddress markAddress(ServiceKey k) {
    byte[] b = new byte[k.family() == Family.INET6 ? 16 : 4];
    long m = k.fwmark();
    b[0] = (byte) (m >>> 24);
    b[1] = (byte) (m >>> 16);
    b[2] = (byte) (m >>> 8);
    b[3] = (byte) m;
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
    }
  }
}
