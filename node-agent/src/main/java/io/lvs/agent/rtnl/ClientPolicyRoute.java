package io.lvs.agent.rtnl;

import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.Errno;
import io.lvs.agent.netlink.Netlink;
import io.lvs.agent.netlink.NetlinkConnection;
import io.lvs.agent.netlink.NetlinkException;
import io.lvs.agent.netlink.NlMessage;
import io.lvs.agent.netlink.NlRequest;
import io.lvs.agent.netlink.sys.NetlinkSocket;

/**
 * The in-cluster clients' policy route (docs/in-cluster.md), what {@code ip rule add fwmark
 * BASE/MASK lookup TABLE pref TABLE} and {@code ip route add local 0.0.0.0/0 dev lo table TABLE}
 * send: a pod's packet marked for a VIP is delivered locally, where IPVS schedules it, without the
 * VIP on any interface. Both objects are recognised by the agent's own table number and priority;
 * nothing else in the rule list or any other table is read as ours or touched.
 */
public final class ClientPolicyRoute implements AutoCloseable {
  static final int RTM_NEWROUTE = 24;
  static final int RTM_DELROUTE = 25;
  static final int RTM_GETROUTE = 26;
  static final int RTM_NEWRULE = 32;
  static final int RTM_DELRULE = 33;
  static final int RTM_GETRULE = 34;
  static final int AF_INET = 2;
  static final int FRA_PRIORITY = 6;
  static final int FRA_FWMARK = 10;
  static final int FRA_TABLE = 15;
  static final int FRA_FWMASK = 16;
  static final int FR_ACT_TO_TBL = 1;
  static final int RTA_OIF = 4;
  static final int RTA_TABLE = 15;
  static final int RTN_LOCAL = 2;
  static final int RT_SCOPE_HOST = 254;
  static final int RTPROT_BOOT = 3;
  /** lo is interface 1 in every network namespace. */
  static final int LOOPBACK_INDEX = 1;
  /** struct fib_rule_hdr and struct rtmsg are both 12 bytes. */
  static final int HDR_LEN = 12;

  private final NetlinkConnection conn;
  private final long mark;
  private final long mask;
  private final int table;

  /** Marks {@code mark/mask} look up {@code table}, a rule of that priority too. */
  public ClientPolicyRoute(NetlinkConnection conn, long mark, long mask, int table) {
    this.conn = conn;
    this.mark = mark;
    this.mask = mask;
    this.table = table;
  }

  public static ClientPolicyRoute open(String netns, long mark, long mask, int table) {
    return new ClientPolicyRoute(new NetlinkConnection(NetlinkSocket.openIn(NetlinkSocket.NETLINK_ROUTE, netns)), mark,
        mask, table);
  }

  /** Both the rule and the route are in place. */
  public synchronized boolean present() {
    boolean rule = false;
    for (NlMessage m : conn.dump(new NlRequest("list rules", "ipv4", RTM_GETRULE, 0, w -> header(w, 0, 0, 0, 0)))) {
      AttrReader a = m.attrs(HDR_LEN);
      rule |= a.uintOr(FRA_PRIORITY, -1) == table && a.uintOr(FRA_TABLE, -1) == table && a.uintOr(FRA_FWMARK, -1) == mark;
    }
    boolean route = false;
    for (NlMessage m : conn.dump(new NlRequest("list routes", "ipv4", RTM_GETROUTE, 0, w -> header(w, 0, 0, 0, 0)))) {
      AttrReader a = m.attrs(HDR_LEN);
      route |= a.uintOr(RTA_TABLE, -1) == table && Byte.toUnsignedInt(m.payload().get(7)) == RTN_LOCAL;
    }
    return rule && route;
  }

  /** Adds what is missing: the route first, so a marked packet never meets an empty table. */
  public synchronized void add() {
    ignoring(Errno.EEXIST, () -> conn.request(new NlRequest("add route", "local default table " + table, RTM_NEWROUTE,
        Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, this::route)));
    ignoring(Errno.EEXIST, () -> conn.request(new NlRequest("add rule", describeRule(), RTM_NEWRULE,
        Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, this::rule)));
  }

  /** Removes both (absent ones are fine): the rule first, so no packet is sent to the table as it goes. */
  public synchronized void remove() {
    ignoring(Errno.ENOENT, () -> conn.request(new NlRequest("delete rule", describeRule(), RTM_DELRULE, 0, this::rule)));
    ignoring(Errno.ESRCH, () -> conn.request(new NlRequest("delete route", "local default table " + table, RTM_DELROUTE,
        0, this::route)));
  }

  void rule(AttrWriter w) {
    header(w, 0, 0, FR_ACT_TO_TBL, 0);
    w.putU32(FRA_PRIORITY, table).putU32(FRA_TABLE, table).putU32(FRA_FWMARK, (int) mark).putU32(FRA_FWMASK, (int) mask);
  }

  void route(AttrWriter w) {
    header(w, RTPROT_BOOT, RT_SCOPE_HOST, RTN_LOCAL, 0);
    w.putU32(RTA_TABLE, table).putU32(RTA_OIF, LOOPBACK_INDEX);
  }

  /** rtmsg / fib_rule_hdr: family, dst_len, src_len, tos, table (0: see the TABLE attribute), then protocol, scope, type (a rule: res1, res2, action), flags. */
  private static void header(AttrWriter w, int protocol, int scope, int typeOrAction, int flags) {
    w.u8(AF_INET).u8(0).u8(0).u8(0).u8(0).u8(protocol).u8(scope).u8(typeOrAction).u32(flags);
  }

  private String describeRule() {
    return String.format("fwmark 0x%x/0x%x lookup %d pref %d", mark, mask, table, table);
  }

  private static void ignoring(int errno, Runnable r) {
    try {
      r.run();
    } catch (NetlinkException e) {
      if (e.errno() != errno && !(errno == Errno.ESRCH && e.errno() == Errno.ENOENT)) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    conn.close();
  }
}
