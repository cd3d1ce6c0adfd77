package io.lvs.agent.nft;

import static io.lvs.agent.nft.Nft.*;

import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.netlink.NetlinkConnection;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link MarkClient} over nf_tables netlink, built like {@link NetlinkNftClient} on the same
 * NftTable batch: replaceAll is one batch per call, which the kernel commits all of or nothing:
 * traffic never sees half the marks.
 */
public final class NetlinkMarkClient implements MarkClient, AutoCloseable {
  public static final String TABLE = "lvs-operator-mark";
  public static final String CHAIN = "prerouting";

  private static final NftTable NFT = new NftTable(TABLE, CHAIN, NF_INET_PRE_ROUTING, NF_IP_PRI_MANGLE, "filter");

  private final NetlinkConnection conn;

  public NetlinkMarkClient(NetlinkConnection conn) {
    this.conn = conn;
  }

  /** A client on a new NETLINK_NETFILTER socket in the named network namespace (null: current). */
  public static NetlinkMarkClient open(String netns) {
    return new NetlinkMarkClient(NftTable.connect(netns));
  }

  @Override
  public synchronized List<MarkRule> list() {
    List<MarkRule> out = new ArrayList<>();
    NFT.forEachRule(conn, "list marking rules", attrs -> out.add(NftMarkCodec.read(attrs)));
    return out;
  }

  @Override
  public synchronized void replaceAll(List<MarkRule> rules) {
    NFT.replaceAll(conn, "add marking rule", family -> rules.stream().filter(r -> familyOf(r) == family)
        .map(r -> new NftTable.Rule(NftMarkCodec.describe(r), w -> NftMarkCodec.writeExpressions(w, r))).toList());
  }

  private static int familyOf(MarkRule r) {
    return r.network() instanceof Inet6Address ? NFPROTO_IPV6 : NFPROTO_IPV4;
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
