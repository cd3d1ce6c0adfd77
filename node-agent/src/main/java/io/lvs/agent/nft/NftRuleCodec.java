package io.lvs.agent.nft;

import static io.lvs.agent.nft.Nft.*;
import static io.lvs.agent.nft.NftExpr.*;

import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.MalformedMessageException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One SNAT rule as nf_tables expressions, the bytecode `nft` makes of
 * {@code meta l4proto P ip daddr RS th dport PORT snat to SRC comment "OWNER"}:
 * <pre>
 * [ meta load l4proto => reg 1 ]  [ cmp eq reg 1 P ]
 * [ payload load 4b @ network header + 16 => reg 1 ]  [ cmp eq reg 1 RS ]    (ip6: 16b @ + 24)
 * [ payload load 2b @ transport header + 2 => reg 1 ]  [ cmp eq reg 1 PORT ]
 * [ immediate reg 1 SRC ]  [ nat snat ip addr_min reg 1 ]
 * </pre>
 * and back. The owner travels as the rule's comment (libnftnl userdata TLV).
 */
public final class NftRuleCodec {
  /** One kernel rule: what one real server of a SnatRule becomes. */
  public record Rule(String owner, IpProtocol protocol, InetAddress realServer, int port, InetAddress toSource) {}

  private NftRuleCodec() {}

  public static void writeExpressions(AttrWriter w, Rule r) {
    boolean v6 = r.toSource() instanceof Inet6Address;
    int list = w.beginNested(NFTA_RULE_EXPRESSIONS);
    expr(w, "meta", x -> x.putBe32(NFTA_META_DREG, NFT_REG_1).putBe32(NFTA_META_KEY, NFT_META_L4PROTO));
    cmp(w, NFT_CMP_EQ, new byte[] {(byte) r.protocol().number()});
    payload(w, NFT_PAYLOAD_NETWORK_HEADER, v6 ? 24 : 16, v6 ? 16 : 4);
    cmp(w, NFT_CMP_EQ, r.realServer().getAddress());
    payload(w, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
    cmp(w, NFT_CMP_EQ, new byte[] {(byte) (r.port() >>> 8), (byte) r.port()});
    expr(w, "immediate", x -> {
      x.putBe32(NFTA_IMMEDIATE_DREG, NFT_REG_1);
      data(x, NFTA_IMMEDIATE_DATA, r.toSource().getAddress());
    });
    expr(w, "nat", x -> x.putBe32(NFTA_NAT_TYPE, NFT_NAT_SNAT).putBe32(NFTA_NAT_FAMILY, v6 ? NFPROTO_IPV6 : NFPROTO_IPV4)
        .putBe32(NFTA_NAT_REG_ADDR_MIN, NFT_REG_1));
    w.endNested(list);
    writeComment(w, r.owner());
  }

  /** The owner as the rule's comment: libnftnl's userdata TLV, NUL-terminated as nft writes it. */
  static void writeComment(AttrWriter w, String owner) {
    byte[] b = owner.getBytes(StandardCharsets.UTF_8);
    if (b.length > 253) {
      throw new IllegalArgumentException("owner too long for a rule comment: " + owner);
    }
    byte[] udata = new byte[b.length + 3];
    udata[0] = NFTNL_UDATA_RULE_COMMENT;
    udata[1] = (byte) (b.length + 1);
    System.arraycopy(b, 0, udata, 2, b.length);
    w.putBytes(NFTA_RULE_USERDATA, udata);
  }

  /** Reads a rule back; a rule of another shape is a MalformedMessageException naming its handle. */
  public static Rule read(AttrReader rule) {
    long handle = rule.has(NFTA_RULE_HANDLE) ? rule.u64(NFTA_RULE_HANDLE) : -1;
    List<byte[]> cmps = new ArrayList<>();
    byte[] src = null;
    boolean snat = false;
    for (AttrReader.Attr e : AttrReader.parse(rule.require(NFTA_RULE_EXPRESSIONS).payload()).all()) {
      AttrReader x = AttrReader.parse(e.payload());
      String name = x.string(NFTA_EXPR_NAME);
      AttrReader data = x.has(NFTA_EXPR_DATA) ? x.nested(NFTA_EXPR_DATA) : null;
      switch (name) {
        case "cmp" -> cmps.add(data.nested(NFTA_CMP_DATA).bytes(NFTA_DATA_VALUE));
        case "immediate" -> src = data.nested(NFTA_IMMEDIATE_DATA).bytes(NFTA_DATA_VALUE);
        case "nat" -> snat = Byte.toUnsignedInt(data.bytes(NFTA_NAT_TYPE)[3]) == NFT_NAT_SNAT;
        case "meta", "payload" -> { }
        default -> throw foreign(handle, "expression " + name);
      }
    }
    if (cmps.size() != 3 || src == null || !snat || cmps.get(0).length != 1 || cmps.get(2).length != 2) {
      throw foreign(handle, "shape");
    }
    int port = (Byte.toUnsignedInt(cmps.get(2)[0]) << 8) | Byte.toUnsignedInt(cmps.get(2)[1]);
    return new Rule(owner(rule), IpProtocol.ofNumber(Byte.toUnsignedInt(cmps.get(0)[0])), addr(cmps.get(1)), port,
        addr(src));
  }

  static String owner(AttrReader rule) {
    if (!rule.has(NFTA_RULE_USERDATA)) {
      return "";
    }
    byte[] u = rule.bytes(NFTA_RULE_USERDATA);
    int i = 0;
    while (i + 2 <= u.length) {
      int type = Byte.toUnsignedInt(u[i]);
      int len = Byte.toUnsignedInt(u[i + 1]);
      if (i + 2 + len > u.length) {
        break;
      }
      if (type == NFTNL_UDATA_RULE_COMMENT) {
        int n = len;
        while (n > 0 && u[i + 2 + n - 1] == 0) {
          n--;
        }
        return new String(u, i + 2, n, StandardCharsets.UTF_8);
      }
      i += 2 + len;
    }
    return "";
  }

  private static MalformedMessageException foreign(long handle, String what) {
    return new MalformedMessageException("rule handle " + handle + " in table lvs-operator is not an SNAT rule this"
        + " agent writes (" + what + ")");
  }

  private static InetAddress addr(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new MalformedMessageException("address bytes " + Arrays.toString(b));
    }
  }
}
