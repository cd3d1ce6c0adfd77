package io.lvs.agent.nft;

import static io.lvs.agent.nft.Nft.*;
import static io.lvs.agent.nft.NftExpr.*;

import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.MalformedMessageException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One marking rule as nf_tables expressions, the bytecode `nft` makes of
 * {@code meta l4proto P ip daddr NET/LEN th dport LO-HI meta mark set M comment "OWNER"}:
 * <pre>
 * [ meta load l4proto => reg 1 ]  [ cmp eq reg 1 P ]
 * [ payload load 4b @ network header + 16 => reg 1 ]            (ip6: 16b @ + 24)
 * [ bitwise reg 1 = (reg 1 &amp; MASK) ^ 0 ]                       (only when LEN is shorter)
 * [ cmp eq reg 1 NET ]
 * [ payload load 2b @ transport header + 2 => reg 1 ]           (only when ports are given)
 * [ cmp eq reg 1 LO ]   or   [ range eq reg 1 LO HI ]
 * [ immediate reg 1 M ]  [ meta set mark with reg 1 ]
 * </pre>
 * and back. Ports compare big endian (as on the wire, memcmp order); the mark is a host-order u32.
 */
public final class NftMarkCodec {
  private NftMarkCodec() {}

  /** The tunnel devices a clients' rule also skips: decapsulated Tunnel traffic re-enters on them. */
  public static final java.util.List<String> TUNNEL_DEVICES = java.util.List.of("tunl0", "gre0");

  public static void writeExpressions(AttrWriter w, MarkRule r) {
    int list = w.beginNested(NFTA_RULE_EXPRESSIONS);
    if (r.forLocalClients()) {
      // [ meta load iifname => reg 1 ] [ cmp neq reg 1 NAME ] for the uplink, then each tunnel device
      for (String dev : uplinkThenTunnels(r.clientsUplink())) {
        expr(w, "meta", x -> x.putBe32(NFTA_META_DREG, NFT_REG_1).putBe32(NFTA_META_KEY, NFT_META_IIFNAME));
        cmp(w, NFT_CMP_NEQ, ifname(dev));
      }
    }
    writeMatch(w, r);
    w.endNested(list);
    NftRuleCodec.writeComment(w, r.owner());
  }

  private static java.util.List<String> uplinkThenTunnels(String uplink) {
    java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of(uplink));
    TUNNEL_DEVICES.stream().filter(t -> !t.equals(uplink)).forEach(out::add);
    return out;
  }

  static byte[] ifname(String name) {
    byte[] b = name.getBytes(StandardCharsets.US_ASCII);
    if (b.length >= IFNAMSIZ) {
      throw new IllegalArgumentException("interface name " + name + " is longer than 15 bytes");
    }
    return Arrays.copyOf(b, IFNAMSIZ);
  }

  private static void writeMatch(AttrWriter w, MarkRule r) {
    boolean v6 = r.network() instanceof Inet6Address;
    int len = v6 ? 16 : 4;
    expr(w, "meta", x -> x.putBe32(NFTA_META_DREG, NFT_REG_1).putBe32(NFTA_META_KEY, NFT_META_L4PROTO));
    cmp(w, NFT_CMP_EQ, new byte[] {(byte) r.protocol().number()});
    payload(w, NFT_PAYLOAD_NETWORK_HEADER, v6 ? 24 : 16, len);
    if (r.prefixLength() < len * 8) {
      byte[] mask = mask(len, r.prefixLength());
      expr(w, "bitwise", x -> {
        x.putBe32(NFTA_BITWISE_SREG, NFT_REG_1).putBe32(NFTA_BITWISE_DREG, NFT_REG_1).putBe32(NFTA_BITWISE_LEN, len);
        data(x, NFTA_BITWISE_MASK, mask);
        data(x, NFTA_BITWISE_XOR, new byte[len]);
      });
    }
    cmp(w, NFT_CMP_EQ, masked(r.network().getAddress(), r.prefixLength()));
    if (!r.anyPort()) {
      payload(w, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
      if (r.endPort() == r.port()) {
        cmp(w, NFT_CMP_EQ, be16(r.port()));
      } else {
        expr(w, "range", x -> {
          x.putBe32(NFTA_RANGE_SREG, NFT_REG_1).putBe32(NFTA_RANGE_OP, NFT_RANGE_EQ);
          data(x, NFTA_RANGE_FROM_DATA, be16(r.port()));
          data(x, NFTA_RANGE_TO_DATA, be16(r.endPort()));
        });
      }
    }
    byte[] mark = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt((int) r.mark()).array();
    expr(w, "immediate", x -> {
      x.putBe32(NFTA_IMMEDIATE_DREG, NFT_REG_1);
      data(x, NFTA_IMMEDIATE_DATA, mark);
    });
    expr(w, "meta", x -> x.putBe32(NFTA_META_KEY, NFT_META_MARK).putBe32(NFTA_META_SREG, NFT_REG_1));
  }

  /** Reads a rule back; a rule of another shape is a MalformedMessageException naming its handle. */
  public static MarkRule read(AttrReader rule) {
    long handle = rule.has(NFTA_RULE_HANDLE) ? rule.u64(NFTA_RULE_HANDLE) : -1;
    Integer proto = null;
    byte[] net = null;
    int prefix = -1;
    int lo = 0;
    int hi = 0;
    Long mark = null;
    boolean setMark = false;
    String loaded = "";
    String uplink = null;
    for (AttrReader.Attr e : AttrReader.parse(rule.require(NFTA_RULE_EXPRESSIONS).payload()).all()) {
      AttrReader x = AttrReader.parse(e.payload());
      String name = x.string(NFTA_EXPR_NAME);
      AttrReader d = x.has(NFTA_EXPR_DATA) ? x.nested(NFTA_EXPR_DATA) : null;
      switch (name) {
        case "meta" -> {
          if (d.has(NFTA_META_SREG)) {
            setMark = be32(d.bytes(NFTA_META_KEY)) == NFT_META_MARK;
          } else {
            loaded = be32(d.bytes(NFTA_META_KEY)) == NFT_META_IIFNAME ? "iifname" : "l4proto";
          }
        }
        case "payload" -> loaded = be32(d.bytes(NFTA_PAYLOAD_BASE)) == NFT_PAYLOAD_NETWORK_HEADER ? "daddr" : "dport";
        case "bitwise" -> prefix = prefixOf(d.nested(NFTA_BITWISE_MASK).bytes(NFTA_DATA_VALUE));
        case "cmp" -> {
          byte[] v = d.nested(NFTA_CMP_DATA).bytes(NFTA_DATA_VALUE);
          if (loaded.equals("iifname") && be32(d.bytes(NFTA_CMP_OP)) == NFT_CMP_NEQ) {
            uplink = uplink == null ? name(v) : uplink; // the first is the uplink, then the tunnel devices
            continue;
          }
          if (be32(d.bytes(NFTA_CMP_OP)) != NFT_CMP_EQ) {
            throw foreign(handle, "cmp other than eq");
          }
          switch (loaded) {
            case "l4proto" -> proto = Byte.toUnsignedInt(v[0]);
            case "daddr" -> {
              net = v;
              prefix = prefix < 0 ? v.length * 8 : prefix;
            }
            case "dport" -> {
              lo = port(v);
              hi = lo;
            }
            default -> throw foreign(handle, "cmp before a load");
          }
        }
        case "range" -> {
          lo = port(d.nested(NFTA_RANGE_FROM_DATA).bytes(NFTA_DATA_VALUE));
          hi = port(d.nested(NFTA_RANGE_TO_DATA).bytes(NFTA_DATA_VALUE));
        }
        case "immediate" -> mark = Integer.toUnsignedLong(
            ByteBuffer.wrap(d.nested(NFTA_IMMEDIATE_DATA).bytes(NFTA_DATA_VALUE)).order(ByteOrder.nativeOrder()).getInt());
        default -> throw foreign(handle, "expression " + name);
      }
    }
    if (proto == null || net == null || mark == null || !setMark) {
      throw foreign(handle, "shape");
    }
    return new MarkRule(NftRuleCodec.owner(rule), mark, addr(net), prefix, IpProtocol.ofNumber(proto), lo, hi, uplink);
  }

  private static String name(byte[] v) {
    int n = 0;
    while (n < v.length && v[n] != 0) {
      n++;
    }
    return new String(v, 0, n, StandardCharsets.US_ASCII);
  }

  static byte[] mask(int len, int prefix) {
    byte[] m = new byte[len];
    for (int i = 0; i < len; i++) {
      int keep = Math.max(0, Math.min(8, prefix - 8 * i));
      m[i] = (byte) (0xff << (8 - keep));
    }
    return m;
  }

  private static byte[] masked(byte[] a, int prefix) {
    byte[] m = mask(a.length, prefix);
    byte[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] &= m[i];
    }
    return out;
  }

  private static int prefixOf(byte[] mask) {
    int n = 0;
    for (byte b : mask) {
      n += Integer.bitCount(Byte.toUnsignedInt(b));
    }
    return n;
  }

  private static int port(byte[] v) {
    return (Byte.toUnsignedInt(v[0]) << 8) | Byte.toUnsignedInt(v[1]);
  }

  private static int be32(byte[] b) {
    return ByteBuffer.wrap(b).getInt();
  }

  private static byte[] be16(int port) {
    return new byte[] {(byte) (port >>> 8), (byte) port};
  }

  private static MalformedMessageException foreign(long handle, String what) {
    return new MalformedMessageException("rule handle " + handle + " in table " + NetlinkMarkClient.TABLE
        + " is not a marking rule this agent writes (" + what + ")");
  }

  private static InetAddress addr(byte[] b) {
    try {
      return b.length == 16 ? Inet6Address.getByAddress(null, b, null) : InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new MalformedMessageException("address bytes " + Arrays.toString(b));
    }
  }

  /** What `nft` would print, for error messages. */
  static String describe(MarkRule r) {
    String ports = r.anyPort() ? "" : " th dport " + r.port() + (r.endPort() == r.port() ? "" : "-" + r.endPort());
    return "meta l4proto " + r.protocol().name().toLowerCase(java.util.Locale.ROOT) + " "
        + (r.network() instanceof Inet6Address ? "ip6" : "ip") + " daddr " + r.network().getHostAddress() + "/"
        + r.prefixLength() + ports + " meta mark set " + r.mark() + " (" + r.owner() + ")";
  }
}
