package io.lvs.agent.rtnl;

import static io.lvs.agent.rtnl.Rtnl.*;

import io.lvs.agent.model.Family;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.Errno;
import io.lvs.agent.netlink.MalformedMessageException;
import io.lvs.agent.netlink.Netlink;
import io.lvs.agent.netlink.NetlinkConnection;
import io.lvs.agent.netlink.NetlinkException;
import io.lvs.agent.netlink.NlMessage;
import io.lvs.agent.netlink.NlRequest;
import io.lvs.agent.netlink.sys.NetlinkSocket;
import io.lvs.agent.netlink.sys.PacketSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link RtnlClient} over NETLINK_ROUTE: what `ip addr add/del` and `ip link add/del/set up` send.
 * Calls are serialised on one connection.
 */
public final class NetlinkRtnlClient implements RtnlClient, AutoCloseable {
  /** The ipip module's fallback device: it exists in every namespace once ipip is loaded. */
  static final String IPIP_FALLBACK = "tunl0";

  private final NetlinkConnection conn;
  /** The namespace the gratuitous-ARP socket must be opened in (null: the current one). */
  private final String netns;

  public NetlinkRtnlClient(NetlinkConnection conn) {
    this(conn, null);
  }

  private NetlinkRtnlClient(NetlinkConnection conn, String netns) {
    this.conn = conn;
    this.netns = netns;
  }

  /** A client on a new NETLINK_ROUTE socket in the named network namespace (null: current). */
  public static NetlinkRtnlClient open(String netns) {
    return new NetlinkRtnlClient(new NetlinkConnection(NetlinkSocket.openIn(NetlinkSocket.NETLINK_ROUTE, netns)), netns);
  }

  @Override
  public void prepareAnnouncements() {
    try (PacketSocket arp = PacketSocket.openArp(netns); PacketSocket ipv6 = PacketSocket.openIpv6(netns)) {
      // opened and closed: nothing sent
    }
  }

  @Override
  public void announce(InterfaceAddress a) {
    Optional<byte[]> mac = hardwareAddress(a.interfaceName());
    // lo has an all-zero 6-byte address, tunnels a 4-byte one: nobody on a segment to tell
    if (mac.isEmpty() || mac.get().length != 6 || java.util.Arrays.equals(mac.get(), new byte[6])) {
      return;
    }
    int index = linkIndex(a.interfaceName())
        .orElseThrow(() -> new IllegalStateException("announce " + a + ": no such link"));
    if (a.address() instanceof Inet4Address vip) {
      try (PacketSocket socket = PacketSocket.openArp(netns)) {
        new GratuitousArp(socket).announce(index, mac.get(), vip, a.interfaceName());
      }
    } else if (a.address() instanceof Inet6Address vip) {
      try (PacketSocket socket = PacketSocket.openIpv6(netns)) {
        new UnsolicitedNa(socket).announce(index, mac.get(), vip, a.interfaceName());
      }
    }
  }

  @Override
  public synchronized List<InterfaceAddress> addresses() {
    Map<Integer, String> names = new HashMap<>();
    for (Link l : links()) {
      names.put(l.index(), l.name());
    }
    List<InterfaceAddress> out = new ArrayList<>();
    for (NlMessage m : conn.dump(new NlRequest("list addresses", "", RTM_GETADDR, 0,
        w -> ifaddrmsg(w, AF_UNSPEC, 0, 0, 0)))) {
      ByteBuffer p = m.payload();
      int af = Byte.toUnsignedInt(p.get(0));
      if (af != Family.INET.af() && af != Family.INET6.af()) {
        continue;
      }
      int prefix = Byte.toUnsignedInt(p.get(1));
      int index = p.getInt(4);
      AttrReader a = m.attrs(IFADDRMSG_LEN);
      // IFA_LOCAL is the interface's own address (IFA_ADDRESS is the peer on point-to-point links)
      byte[] raw = a.has(IFA_LOCAL) ? a.bytes(IFA_LOCAL) : a.bytes(IFA_ADDRESS);
      String name = names.get(index);
      if (name == null) {
        continue; // the link went away between the two dumps
      }
      out.add(new InterfaceAddress(name, address(raw), prefix));
    }
    return out;
  }

  @Override
  public synchronized void addAddress(InterfaceAddress a) {
    int index = requireIndex(a.interfaceName(), "add address", a.toString());
    conn.request(new NlRequest("add address", a.toString(), RTM_NEWADDR, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL,
        w -> addressBody(w, a, index, true)));
  }

  @Override
  public synchronized void deleteAddress(InterfaceAddress a) {
    int index = requireIndex(a.interfaceName(), "delete address", a.toString());
    conn.request(new NlRequest("delete address", a.toString(), RTM_DELADDR, 0, w -> addressBody(w, a, index, false)));
  }

  static void addressBody(AttrWriter w, InterfaceAddress a, int index, boolean create) {
    boolean v6 = a.address() instanceof Inet6Address;
    ifaddrmsg(w, Family.of(a.address()).af(), a.prefixLength(), v6 && create ? IFA_F_NODAD : 0, index);
    w.putBytes(IFA_LOCAL, a.address().getAddress());
    w.putBytes(IFA_ADDRESS, a.address().getAddress());
  }

  @Override
  public synchronized Optional<Integer> linkIndex(String name) {
    try {
      List<NlMessage> r = conn.request(new NlRequest("get link", name, RTM_GETLINK, 0, w -> {
        ifinfomsg(w, 0, 0, 0);
        w.putString(IFLA_IFNAME, name);
      }));
      return r.isEmpty() ? Optional.empty() : Optional.of(parseLink(r.get(0)).index());
    } catch (NetlinkException e) {
      if (e.errno() == Errno.ENODEV) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The link's hardware address (IFLA_ADDRESS), e.g. the MAC a gratuitous ARP carries. */
  public synchronized Optional<byte[]> hardwareAddress(String name) {
    try {
      List<NlMessage> r = conn.request(new NlRequest("get link", name, RTM_GETLINK, 0, w -> {
        ifinfomsg(w, 0, 0, 0);
        w.putString(IFLA_IFNAME, name);
      }));
      if (r.isEmpty()) {
        return Optional.empty();
      }
      AttrReader a = r.get(0).attrs(IFINFOMSG_LEN);
      return a.has(IFLA_ADDRESS) ? Optional.of(a.bytes(IFLA_ADDRESS)) : Optional.empty();
    } catch (NetlinkException e) {
      if (e.errno() == Errno.ENODEV) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public synchronized List<Link> links() {
    List<Link> out = new ArrayList<>();
    for (NlMessage m : conn.dump(new NlRequest("list links", "", RTM_GETLINK, 0, w -> ifinfomsg(w, 0, 0, 0)))) {
      out.add(parseLink(m));
    }
    return out;
  }

  static Link parseLink(NlMessage m) {
    ByteBuffer p = m.payload();
    if (p.remaining() < IFINFOMSG_LEN) {
      throw new MalformedMessageException("ifinfomsg of " + p.remaining() + " bytes");
    }
    int index = p.getInt(4);
    int flags = p.getInt(8);
    AttrReader a = m.attrs(IFINFOMSG_LEN);
    String kind = null;
    if (a.has(IFLA_LINKINFO)) {
      kind = a.nested(IFLA_LINKINFO).stringOr(IFLA_INFO_KIND, null);
    }
    return new Link(index, a.string(IFLA_IFNAME), kind, (flags & IFF_UP) != 0);
  }

  /**
   * Creates a link of the kind. "tunl0" of kind ipip is the ipip module's fallback device, which
   * the kernel makes itself in every namespace; asking for it when it is there is not an error.
   */
  @Override
  public synchronized void addLink(String name, String kind) {
    if (IPIP_FALLBACK.equals(name) && "ipip".equals(kind) && linkIndex(name).isPresent()) {
      return;
    }
    conn.request(new NlRequest("add link", name + " type " + kind, RTM_NEWLINK,
        Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, w -> {
          ifinfomsg(w, 0, 0, 0);
          w.putString(IFLA_IFNAME, name);
          int li = w.beginNested(IFLA_LINKINFO);
          w.putString(IFLA_INFO_KIND, kind);
          w.endNested(li);
        }));
  }

  @Override
  public synchronized void deleteLink(String name) {
    conn.request(new NlRequest("delete link", name, RTM_DELLINK, 0, w -> {
      ifinfomsg(w, 0, 0, 0);
      w.putString(IFLA_IFNAME, name);
    }));
  }

  @Override
  public synchronized void setLinkUp(String name) {
    int index = requireIndex(name, "set link up", name);
    conn.request(new NlRequest("set link up", name, RTM_NEWLINK, 0, w -> ifinfomsg(w, index, IFF_UP, IFF_UP)));
  }

  private int requireIndex(String name, String op, String object) {
    return linkIndex(name).orElseThrow(() -> Errno.exception(op, object, Errno.ENODEV, "no link " + name));
  }

  static void ifinfomsg(AttrWriter w, int index, int flags, int change) {
    w.u8(AF_UNSPEC).u8(0).u16(0).u32(index).u32(flags).u32(change);
  }

  static void ifaddrmsg(AttrWriter w, int family, int prefix, int flags, int index) {
    w.u8(family).u8(prefix).u8(flags).u8(RT_SCOPE_UNIVERSE).u32(index);
  }

  private static InetAddress address(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new MalformedMessageException("address of " + raw.length + " bytes");
    }
  }

  @Override
  public void close() {
    conn.close();
  }
}
