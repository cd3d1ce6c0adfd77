package io.lvs.agent.nft;

import static io.lvs.agent.nft.Nft.*;

import io.lvs.agent.dataplane.SnatRule;
import io.lvs.agent.netlink.NetlinkConnection;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link SnatClient} over nf_tables netlink (NETLINK_NETFILTER). replaceAll is one batch per call
 * (NftTable.replaceAll): the kernel commits all of it or nothing, so traffic never sees a
 * half-written rule set.
 */
public final class NetlinkNftClient implements SnatClient, AutoCloseable {
  public static final String TABLE = "lvs-operator";
  public static final String CHAIN = "postrouting";
  /** NF_IP_PRI_NAT_SRC: where `nft add chain ... { type nat hook postrouting priority srcnat; }` goes. */
  public static final int PRIORITY = 100;

  private static final NftTable NFT = new NftTable(TABLE, CHAIN, NF_INET_POST_ROUTING, PRIORITY, "nat");

  private final NetlinkConnection conn;

  public NetlinkNftClient(NetlinkConnection conn) {
    this.conn = conn;
  }

  /** A client on a new NETLINK_NETFILTER socket in the named network namespace (null: current). */
  public static NetlinkNftClient open(String netns) {
    return new NetlinkNftClient(NftTable.connect(netns));
  }

  @Override
  public synchronized List<SnatRule> list() {
    List<SnatRule> out = new ArrayList<>();
    NFT.forEachRule(conn, "list SNAT rules", attrs -> {
      NftRuleCodec.Rule r = NftRuleCodec.read(attrs);
      SnatRule last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last.owner().equals(r.owner()) && last.protocol() == r.protocol() && last.port() == r.port()
          && last.toSource().equals(r.toSource()) && sameFamily(last.toSource(), r.toSource())) {
        List<InetAddress> rs = new ArrayList<>(last.realServers());
        rs.add(r.realServer());
        out.set(out.size() - 1, new SnatRule(last.owner(), last.protocol(), rs, last.port(), last.toSource()));
      } else {
        out.add(new SnatRule(r.owner(), r.protocol(), List.of(r.realServer()), r.port(), r.toSource()));
      }
    });
    return out;
  }

  @Override
  public synchronized void replaceAll(List<SnatRule> rules) {
    NFT.replaceAll(conn, "add SNAT rule", family -> {
      List<NftTable.Rule> mine = new ArrayList<>();
      for (SnatRule s : rules) {
        if (familyOf(s.toSource()) != family) {
          continue;
        }
        for (InetAddress rs : s.realServers()) {
          if (familyOf(rs) != family) {
            throw new IllegalArgumentException("SNAT rule of " + s.owner() + ": real server " + rs.getHostAddress()
                + " and source " + s.toSource().getHostAddress() + " are of different families");
          }
          NftRuleCodec.Rule r = new NftRuleCodec.Rule(s.owner(), s.protocol(), rs, s.port(), s.toSource());
          mine.add(new NftTable.Rule(describe(r), w -> NftRuleCodec.writeExpressions(w, r)));
        }
      }
      return mine;
    });
  }

  static String describe(NftRuleCodec.Rule r) {
    return "meta l4proto " + r.protocol().name().toLowerCase(java.util.Locale.ROOT) + " "
        + (r.toSource() instanceof Inet6Address ? "ip6" : "ip") + " daddr " + r.realServer().getHostAddress()
        + " th dport " + r.port() + " snat to " + r.toSource().getHostAddress() + " (" + r.owner() + ")";
  }

  private static int familyOf(InetAddress a) {
    return a instanceof Inet6Address ? NFPROTO_IPV6 : NFPROTO_IPV4;
  }

  private static boolean sameFamily(InetAddress a, InetAddress b) {
    return familyOf(a) == familyOf(b);
  }

  @Override
  public void close() {
    conn.close();
  }

  @Override
  public String toString() {
    return "NetlinkNftClient[" + Objects.toString(conn) + "]";
  }
}
