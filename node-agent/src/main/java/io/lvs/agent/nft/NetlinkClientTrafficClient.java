package io.lvs.agent.nft;

import static io.lvs.agent.nft.Nft.*;

import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.netlink.NetlinkConnection;
import io.lvs.agent.rtnl.ClientPolicyRoute;
import java.net.Inet6Address;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link ClientTrafficClient} over nf_tables and rtnetlink: three tables of the agent's own (each
 * replaced whole in one transaction, never another table) and the policy route.
 *
 * <ul>
 *   <li>{@value #OUTPUT}: hook output, type route, priority mangle: marks local processes' packets
 *       to a VIP:port; the changed mark makes the kernel route them again, by the policy route;
 *   <li>{@value #PREROUTING}: hook prerouting, priority mangle: marks the same for packets arriving on
 *       any interface but the uplink and the tunnel devices (the node's pods);
 *   <li>{@value #NAT}: hook postrouting, type nat: masquerades every packet carrying a clients' mark,
 *       so the member answers the node (never the VIP, which a director or a real server holds itself).
 * </ul>
 *
 * Installed nat, route, prerouting, output (marks appear last); removed in the reverse order.
 */
public final class NetlinkClientTrafficClient implements ClientTrafficClient, AutoCloseable {
  public static final String OUTPUT = "lvs-operator-clients-out";
  public static final String PREROUTING = "lvs-operator-clients-pre";
  public static final String NAT = "lvs-operator-clients-nat";
  /** Clients' marks are BASE | n (n in 1..0xffff): "LV" in the high half. */
  public static final long MARK_BASE = 0x4c560000L;
  public static final long MARK_MASK = 0xffff0000L;
  /** The policy route's table number and the rule's priority (before main, 32766). */
  public static final int TABLE = 19542;

  private static final NftTable OUT = new NftTable(OUTPUT, "output", NF_INET_LOCAL_OUT, NF_IP_PRI_MANGLE, "route");
  private static final NftTable PRE = new NftTable(PREROUTING, "prerouting", NF_INET_PRE_ROUTING, NF_IP_PRI_MANGLE,
      "filter");
  private static final NftTable POST = new NftTable(NAT, "postrouting", NF_INET_POST_ROUTING, NF_IP_PRI_NAT_SRC, "nat");

  private final NetlinkConnection conn;
  private final ClientPolicyRoute route;

  public NetlinkClientTrafficClient(NetlinkConnection conn, ClientPolicyRoute route) {
    this.conn = conn;
    this.route = route;
  }

  /** A client on new sockets in the named network namespace (null: current). */
  public static NetlinkClientTrafficClient open(String netns) {
    NetlinkConnection c = NftTable.connect(netns);
    try {
      return new NetlinkClientTrafficClient(c, ClientPolicyRoute.open(netns, MARK_BASE, MARK_MASK, TABLE));
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  @Override
  public synchronized ClientTraffic read() {
    Set<MarkRule> out = new HashSet<>();
    OUT.forEachRule(conn, "list clients' output rules", a -> out.add(NftMarkCodec.read(a)));
    Set<MarkRule> pre = new HashSet<>();
    PRE.forEachRule(conn, "list clients' prerouting rules", a -> pre.add(NftMarkCodec.read(a)));
    int[] masq = {0};
    POST.forEachRule(conn, "list clients' nat rules", a -> masq[0] += NftMasqueradeCodec.is(a, MARK_BASE, MARK_MASK) ? 1 : 2);
    return new ClientTraffic(out, pre, masq[0], route.present());
  }

  @Override
  public synchronized void replaceAll(List<MarkRule> rules) {
    List<MarkRule> v4 = rules.stream().filter(r -> !(r.network() instanceof Inet6Address)).toList();
    if (v4.isEmpty()) {
      OUT.replaceAll(conn, "add clients' output rule", f -> List.of());
      PRE.replaceAll(conn, "add clients' prerouting rule", f -> List.of());
      route.remove();
      POST.replaceAll(conn, "add clients' masquerade", f -> List.of());
      return;
    }
    POST.replaceAll(conn, "add clients' masquerade", f -> f != NFPROTO_IPV4 ? List.of() : List.of(new NftTable.Rule(
        "meta mark and 0xffff0000 == 0x4c560000 masquerade",
        w -> NftMasqueradeCodec.writeExpressions(w, MARK_BASE, MARK_MASK, "lvs-operator in-cluster clients"))));
    route.add();
    PRE.replaceAll(conn, "add clients' prerouting rule", f -> rulesOf(f, v4, true));
    OUT.replaceAll(conn, "add clients' output rule", f -> rulesOf(f, v4, false));
  }

  private static List<NftTable.Rule> rulesOf(int family, List<MarkRule> rules, boolean withUplink) {
    if (family != NFPROTO_IPV4) {
      return List.of();
    }
    return rules.stream().map(r -> withUplink ? r : r.withoutUplink())
        .map(r -> new NftTable.Rule(NftMarkCodec.describe(r), w -> NftMarkCodec.writeExpressions(w, r))).toList();
  }

  @Override
  public void close() {
    conn.close();
    route.close();
  }
}
