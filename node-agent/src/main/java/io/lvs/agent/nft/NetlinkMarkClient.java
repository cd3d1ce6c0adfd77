package io.lvs.agent.nft;

import static io.lvs.agent.nft.Nft.*;

import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.netlink.Errno;
import io.lvs.agent.netlink.Netlink;
import io.lvs.agent.netlink.NetlinkConnection;
import io.lvs.agent.netlink.NetlinkException;
import io.lvs.agent.netlink.NlMessage;
import io.lvs.agent.netlink.NlRequest;
import io.lvs.agent.netlink.sys.NetlinkSocket;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link MarkClient} over nf_tables netlink, built like {@link NetlinkNftClient}: replaceAll is one
 * batch per call: for each family, add table (so the delete cannot fail), delete table (with its
 * chain and rules), then, when that family has rules, add table, chain and rules. The kernel
 * commits all of it or nothing: traffic never sees half the marks.
 */
public final class NetlinkMarkClient implements MarkClient, AutoCloseable {
  public static final String TABLE = "lvs-operator-mark";
  public static final String CHAIN = "prerouting";

  private final NetlinkConnection conn;

  public NetlinkMarkClient(NetlinkConnection conn) {
    this.conn = conn;
  }

  /** A client on a new NETLINK_NETFILTER socket in the named network namespace (null: current). */
  public static NetlinkMarkClient open(String netns) {
    return new NetlinkMarkClient(new NetlinkConnection(NetlinkSocket.openIn(NETLINK_NETFILTER, netns)));
  }

  @Override
  public synchronized List<MarkRule> list() {
    List<MarkRule> out = new ArrayList<>();
    for (int family : new int[] {NFPROTO_IPV4, NFPROTO_IPV6}) {
      List<NlMessage> msgs;
      try {
        msgs = conn.dump(new NlRequest("list marking rules", familyName(family) + " " + TABLE, type(NFT_MSG_GETRULE), 0,
            w -> {
              NetlinkNftClient.nfgenmsg(w, family, 0);
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
        out.add(NftMarkCodec.read(m.attrs(NFGENMSG_LEN)));
      }
    }
    return out;
  }

  @Override
  public synchronized void replaceAll(List<MarkRule> rules) {
    List<NlRequest> body = new ArrayList<>();
    for (int family : new int[] {NFPROTO_IPV4, NFPROTO_IPV6}) {
      List<MarkRule> mine = rules.stream().filter(r -> familyOf(r) == family).toList();
      String t = familyName(family) + " " + TABLE;
      body.add(table(NFT_MSG_NEWTABLE, family, Netlink.NLM_F_CREATE, "add table", t));
      body.add(table(NFT_MSG_DELTABLE, family, 0, "delete table", t));
      if (mine.isEmpty()) {
        continue;
      }
      body.add(table(NFT_MSG_NEWTABLE, family, Netlink.NLM_F_CREATE, "add table", t));
      body.add(new NlRequest("add chain", t + " " + CHAIN, type(NFT_MSG_NEWCHAIN), Netlink.NLM_F_CREATE, w -> {
        NetlinkNftClient.nfgenmsg(w, family, 0);
        w.putString(NFTA_CHAIN_TABLE, TABLE);
        w.putString(NFTA_CHAIN_NAME, CHAIN);
        int h = w.beginNested(NFTA_CHAIN_HOOK);
        w.putBe32(NFTA_HOOK_HOOKNUM, NF_INET_PRE_ROUTING).putBe32(NFTA_HOOK_PRIORITY, NF_IP_PRI_MANGLE);
        w.endNested(h);
        w.putBe32(NFTA_CHAIN_POLICY, NF_ACCEPT);
        w.putString(NFTA_CHAIN_TYPE, "filter");
      }));
      for (MarkRule r : mine) {
        body.add(new NlRequest("add marking rule", NftMarkCodec.describe(r), type(NFT_MSG_NEWRULE),
            Netlink.NLM_F_CREATE | Netlink.NLM_F_APPEND, w -> {
              NetlinkNftClient.nfgenmsg(w, family, 0);
              w.putString(NFTA_RULE_TABLE, TABLE);
              w.putString(NFTA_RULE_CHAIN, CHAIN);
              NftMarkCodec.writeExpressions(w, r);
            }));
      }
    }
    conn.transaction(batch(NFNL_MSG_BATCH_BEGIN, "begin nftables batch"), body,
        batch(NFNL_MSG_BATCH_END, "end nftables batch"));
  }

  private static NlRequest table(int msg, int family, int flags, String op, String object) {
    return new NlRequest(op, object, type(msg), flags, w -> {
      NetlinkNftClient.nfgenmsg(w, family, 0);
      w.putString(NFTA_TABLE_NAME, TABLE);
    });
  }

  private static NlRequest batch(int type, String op) {
    return new NlRequest(op, "", type, 0, w -> NetlinkNftClient.nfgenmsg(w, NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES));
  }

  private static int familyOf(MarkRule r) {
    return r.network() instanceof Inet6Address ? NFPROTO_IPV6 : NFPROTO_IPV4;
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
    return "NetlinkMarkClient[" + Objects.toString(conn) + "]";
  }
}
