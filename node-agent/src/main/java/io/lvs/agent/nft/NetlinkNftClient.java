package io.lvs.agent.nft;

import static io.lvs.agent.nft.Nft.*;

import io.lvs.agent.dataplane.SnatRule;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.Errno;
import io.lvs.agent.netlink.Netlink;
import io.lvs.agent.netlink.NetlinkConnection;
import io.lvs.agent.netlink.NetlinkException;
import io.lvs.agent.netlink.NlMessage;
import io.lvs.agent.netlink.NlRequest;
import io.lvs.agent.netlink.sys.NetlinkSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link SnatClient} over nf_tables netlink (NETLINK_NETFILTER). replaceAll is one batch per call:
 * for each family, add table (so the delete cannot fail), delete table (with every chain and rule),
 * then, when that family has rules, add table, chain and rules. The kernel commits all of it or
 * nothing, so traffic never sees a half-written rule set.
 */
public final class NetlinkNftClient implements SnatClient, AutoCloseable {
  public static final String TABLE = "lvs-operator";
  public static final String CHAIN = "postrouting";
  /** NF_IP_PRI_NAT_SRC: where `nft add chain ... { type nat hook postrouting priority srcnat; }` goes. */
  public static final int PRIORITY = 100;

  private final NetlinkConnection conn;

  public NetlinkNftClient(NetlinkConnection conn) {
    this.conn = conn;
  }

  /** A client on a new NETLINK_NETFILTER socket in the named network namespace (null: current). */
  public static NetlinkNftClient open(String netns) {
    return new NetlinkNftClient(new NetlinkConnection(NetlinkSocket.openIn(NETLINK_NETFILTER, netns)));
  }

  @Override
  public synchronized List<SnatRule> list() {
    List<SnatRule> out = new ArrayList<>();
    for (int family : new int[] {NFPROTO_IPV4, NFPROTO_IPV6}) {
      List<NlMessage> msgs;
      try {
        msgs = conn.dump(new NlRequest("list SNAT rules", familyName(family) + " " + TABLE, type(NFT_MSG_GETRULE), 0,
            w -> {
              nfgenmsg(w, family, 0);
              w.putString(NFTA_RULE_TABLE, TABLE);
              w.putString(NFTA_RULE_CHAIN, CHAIN);
            }));
      } catch (NetlinkException e) {
        if (e.errno() == Errno.ENOENT) {
          continue; // no table (or chain) of that family: no rules
        }
        throw e;
      }
      for (NlMessage m : msgs) {
        NftRuleCodec.Rule r = NftRuleCodec.read(m.attrs(NFGENMSG_LEN));
        SnatRule last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null && last.owner().equals(r.owner()) && last.protocol() == r.protocol() && last.port() == r.port()
            && last.toSource().equals(r.toSource()) && sameFamily(last.toSource(), r.toSource())) {
          List<InetAddress> rs = new ArrayList<>(last.realServers());
          rs.add(r.realServer());
          out.set(out.size() - 1, new SnatRule(last.owner(), last.protocol(), rs, last.port(), last.toSource()));
        } else {
          out.add(new SnatRule(r.owner(), r.protocol(), List.of(r.realServer()), r.port(), r.toSource()));
        }
      }
    }
    return out;
  }

  @Override
  public synchronized void replaceAll(List<SnatRule> rules) {
    List<NlRequest> body = new ArrayList<>();
    for (int family : new int[] {NFPROTO_IPV4, NFPROTO_IPV6}) {
      List<NftRuleCodec.Rule> mine = new ArrayList<>();
      for (SnatRule s : rules) {
        if (familyOf(s.toSource()) != family) {
          continue;
        }
        for (InetAddress rs : s.realServers()) {
          if (familyOf(rs) != family) {
            throw new IllegalArgumentException("SNAT rule of " + s.owner() + ": real server " + rs.getHostAddress()
                + " and source " + s.toSource().getHostAddress() + " are of different families");
          }
          mine.add(new NftRuleCodec.Rule(s.owner(), s.protocol(), rs, s.port(), s.toSource()));
        }
      }
      String t = familyName(family) + " " + TABLE;
      body.add(table(NFT_MSG_NEWTABLE, family, Netlink.NLM_F_CREATE, "add table", t));
      body.add(table(NFT_MSG_DELTABLE, family, 0, "delete table", t));
      if (mine.isEmpty()) {
        continue;
      }
      body.add(table(NFT_MSG_NEWTABLE, family, Netlink.NLM_F_CREATE, "add table", t));
      body.add(new NlRequest("add chain", t + " " + CHAIN, type(NFT_MSG_NEWCHAIN), Netlink.NLM_F_CREATE, w -> {
        nfgenmsg(w, family, 0);
        w.putString(NFTA_CHAIN_TABLE, TABLE);
        w.putString(NFTA_CHAIN_NAME, CHAIN);
        int h = w.beginNested(NFTA_CHAIN_HOOK);
        w.putBe32(NFTA_HOOK_HOOKNUM, NF_INET_POST_ROUTING).putBe32(NFTA_HOOK_PRIORITY, PRIORITY);
        w.endNested(h);
        w.putBe32(NFTA_CHAIN_POLICY, NF_ACCEPT);
        w.putString(NFTA_CHAIN_TYPE, "nat");
      }));
      for (NftRuleCodec.Rule r : mine) {
        body.add(new NlRequest("add SNAT rule", describe(r), type(NFT_MSG_NEWRULE),
            Netlink.NLM_F_CREATE | Netlink.NLM_F_APPEND, w -> {
              nfgenmsg(w, family, 0);
              w.putString(NFTA_RULE_TABLE, TABLE);
              w.putString(NFTA_RULE_CHAIN, CHAIN);
              NftRuleCodec.writeExpressions(w, r);
            }));
      }
    }
    conn.transaction(batch(NFNL_MSG_BATCH_BEGIN, "begin nftables batch"), body,
        batch(NFNL_MSG_BATCH_END, "end nftables batch"));
  }

  static String describe(NftRuleCodec.Rule r) {
    return "meta l4proto " + r.protocol().name().toLowerCase(java.util.Locale.ROOT) + " "
        + (r.toSource() instanceof Inet6Address ? "ip6" : "ip") + " daddr " + r.realServer().getHostAddress()
        + " th dport " + r.port() + " snat to " + r.toSource().getHostAddress() + " (" + r.owner() + ")";
  }

  private static NlRequest table(int msg, int family, int flags, String op, String object) {
    return new NlRequest(op, object, type(msg), flags, w -> {
      nfgenmsg(w, family, 0);
      w.putString(NFTA_TABLE_NAME, TABLE);
    });
  }

  /** BATCH_BEGIN/END: nfgenmsg with res_id = NFNL_SUBSYS_NFTABLES (big endian). */
  private static NlRequest batch(int type, String op) {
    return new NlRequest(op, "", type, 0, w -> nfgenmsg(w, NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES));
  }

  static void nfgenmsg(AttrWriter w, int family, int resId) {
    w.u8(family).u8(NFNETLINK_V0).u8(resId >>> 8).u8(resId & 0xff);
  }

  private static int familyOf(InetAddress a) {
    return a instanceof Inet6Address ? NFPROTO_IPV6 : NFPROTO_IPV4;
  }

  private static boolean sameFamily(InetAddress a, InetAddress b) {
    return familyOf(a) == familyOf(b);
  }

  private static String familyName(int family) {
    return family == NFPROTO_IPV6 ? "ip6" : "ip";
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
