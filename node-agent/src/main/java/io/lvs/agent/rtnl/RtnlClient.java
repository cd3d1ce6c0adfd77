package io.lvs.agent.rtnl;

import io.lvs.agent.model.InterfaceAddress;
import java.util.List;
import java.util.Optional;

/**
 * rtnetlink (NETLINK_ROUTE): addresses and links, what `ip addr` / `ip link` do. Failures are
 * {@link io.lvs.agent.netlink.NetlinkException}s naming the operation, object and errno.
 */
public interface RtnlClient {
  /**
   * Opens and closes the sockets {@link #announce} uses, so that a director's first takeover in a
   * fresh process does not pay for their first use (class loading, native stubs) while clients wait.
   */
  default void prepareAnnouncements() {}

  /** RTM_GETADDR dump, all interfaces. */
  List<InterfaceAddress> addresses();

  /** RTM_NEWADDR with NLM_F_CREATE|NLM_F_EXCL. */
  void addAddress(InterfaceAddress address);

  /**
   * Tells the segment that an address just added now lives here: a gratuitous ARP (IPv4) or an
   * unsolicited neighbour advertisement (IPv6) out of its interface on an Ethernet link, so clients
   * move to a new VIP holder at once instead of waiting for their neighbour caches to expire.
   * Loopback and tunnels send nothing (no neighbour to tell).
   */
  void announce(InterfaceAddress address);

  /** RTM_DELADDR. */
  void deleteAddress(InterfaceAddress address);

  /** RTM_GETLINK by name: the interface index, empty if there is no such link. */
  Optional<Integer> linkIndex(String name);

  /** RTM_GETLINK dump: name and kind of each link. */
  List<Link> links();

  /** RTM_NEWLINK of the given kind ("dummy", "ipip"); for ipip "tunl0" the fallback device. */
  void addLink(String name, String kind);

  /** RTM_DELLINK. */
  void deleteLink(String name);

  /** RTM_NEWLINK with IFF_UP. */
  void setLinkUp(String name);

  /** A link: index, name, kind (null for a plain device), up or not. */
  record Link(int index, String name, String kind, boolean up) {}
}
