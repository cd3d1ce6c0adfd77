package io.lvs.agent.nft;

import static io.lvs.agent.nft.Nft.*;

import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.Errno;
import io.lvs.agent.netlink.Netlink;
import io.lvs.agent.netlink.NetlinkConnection;
import io.lvs.agent.netlink.NetlinkException;
import io.lvs.agent.netlink.NlMessage;
import io.lvs.agent.netlink.NlRequest;
import io.lvs.agent.netlink.sys.NetlinkSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * One of the agent's own nf_tables tables, in families ip and ip6, with one base chain: the
 * messages both nf_tables clients send. replaceAll is one batch: for each family, add table (so
 * the delete cannot fail), delete table (with its chain and rules), then, when that family has
 * rules, add table, chain and rules. The kernel commits all of it or nothing.
 *
 * @param hook NF_INET_* hook of the chain
 * @param priority the chain's priority (NF_IP_PRI_*)
 * @param chainType the chain's type: "nat" or "filter"
 */
record NftTable(String name, String chain, int hook, int priority, String chainType) {
  /** The families the table exists in, in the order they are listed and written. */
  private static final List<Integer> FAMILIES = List.of(NFPROTO_IPV4, NFPROTO_IPV6);

  /** One rule to add: what error messages name it by, and its expressions (and comment). */
  record Rule(String object, Consumer<AttrWriter> expressions) {}

  /** A connection on a new NETLINK_NETFILTER socket in the named network namespace (null: current). */
  static NetlinkConnection connect(String netns) {
    return new NetlinkConnection(NetlinkSocket.openIn(NETLINK_NETFILTER, netns));
  }

  /** Each rule of the chain (its attributes), ip first; a family without the table has none. */
  void forEachRule(NetlinkConnection conn, String op, Consumer<AttrReader> rule) {
    for (int family : FAMILIES) {
      List<NlMessage> msgs;
      try {
        msgs = conn.dump(new NlRequest(op, familyName(family) + " " + name, type(NFT_MSG_GETRULE), 0, w -> {
          nfgenmsg(w, family, 0);
          w.putString(NFTA_RULE_TABLE, name);
          w.putString(NFTA_RULE_CHAIN, chain);
        }));
      } catch (NetlinkException e) {
        if (e.errno() == Errno.ENOENT) {
          continue; // no table (or chain) of that family: no rules
        }
        throw e;
      }
      for (NlMessage m : msgs) {
        rule.accept(m.attrs(NFGENMSG_LEN));
      }
    }
  }

  /** Replaces the table in every family by one holding the rules rulesOf gives for that family. */
  void replaceAll(NetlinkConnection conn, String ruleOp, IntFunction<List<Rule>> rulesOf) {
    List<NlRequest> body = new ArrayList<>();
    for (int family : FAMILIES) {
      List<Rule> mine = rulesOf.apply(family);
      String t = familyName(family) + " " + name;
      body.add(table(NFT_MSG_NEWTABLE, family, Netlink.NLM_F_CREATE, "add table", t));
      body.add(table(NFT_MSG_DELTABLE, family, 0, "delete table", t));
      if (mine.isEmpty()) {
        continue;
      }
      body.add(table(NFT_MSG_NEWTABLE, family, Netlink.NLM_F_CREATE, "add table", t));
      body.add(new NlRequest("add chain", t + " " + chain, type(NFT_MSG_NEWCHAIN), Netlink.NLM_F_CREATE, w -> {
        nfgenmsg(w, family, 0);
        w.putString(NFTA_CHAIN_TABLE, name);
        w.putString(NFTA_CHAIN_NAME, chain);
        int h = w.beginNested(NFTA_CHAIN_HOOK);
        w.putBe32(NFTA_HOOK_HOOKNUM, hook).putBe32(NFTA_HOOK_PRIORITY, priority);
        w.endNested(h);
        w.putBe32(NFTA_CHAIN_POLICY, NF_ACCEPT);
        w.putString(NFTA_CHAIN_TYPE, chainType);
      }));
      for (Rule r : mine) {
        body.add(new NlRequest(ruleOp, r.object(), type(NFT_MSG_NEWRULE),
            Netlink.NLM_F_CREATE | Netlink.NLM_F_APPEND, w -> {
              nfgenmsg(w, family, 0);
              w.putString(NFTA_RULE_TABLE, name);
              w.putString(NFTA_RULE_CHAIN, chain);
              r.expressions().accept(w);
            }));
      }
    }
    conn.transaction(batch(NFNL_MSG_BATCH_BEGIN, "begin nftables batch"), body,
        batch(NFNL_MSG_BATCH_END, "end nftables batch"));
  }

  private NlRequest table(int msg, int family, int flags, String op, String object) {
    return new NlRequest(op, object, type(msg), flags, w -> {
      nfgenmsg(w, family, 0);
      w.putString(NFTA_TABLE_NAME, name);
    });
  }

  /** BATCH_BEGIN/END: nfgenmsg with res_id = NFNL_SUBSYS_NFTABLES (big endian). */
  private static NlRequest batch(int type, String op) {
    return new NlRequest(op, "", type, 0, w -> nfgenmsg(w, NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES));
  }

  /** struct nfgenmsg {u8 nfgen_family; u8 version; __be16 res_id}. */
  private static void nfgenmsg(AttrWriter w, int family, int resId) {
    w.u8(family).u8(NFNETLINK_V0).u8(resId >>> 8).u8(resId & 0xff);
  }

  private static String familyName(int family) {
    return family == NFPROTO_IPV6 ? "ip6" : "ip";
  }
}
