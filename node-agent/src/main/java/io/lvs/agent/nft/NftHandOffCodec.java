package io.lvs.agent.nft;

import static io.lvs.agent.nft.Nft.*;
import static io.lvs.agent.nft.NftExpr.*;

import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The clients' hand-off rule as nf_tables expressions, what `nft` makes of
 * {@code meta mark and MASK == BASE meta mark set HANDED}:
 * <pre>
 * [ meta load mark => reg 1 ]  [ bitwise reg 1 = (reg 1 &amp; MASK) ^ 0 ]  [ cmp eq reg 1 BASE ]
 * [ immediate reg 1 HANDED ]  [ meta set mark with reg 1 ]
 * </pre>
 * A packet IPVS has rewritten to a member passes the output hook again still carrying the
 * clients' mark; without a new mark the NAT hook's re-route would send it to the policy route's
 * table, i.e. deliver it locally. Marks are host-order u32s.
 */
final class NftHandOffCodec {
  private NftHandOffCodec() {}

  static void writeExpressions(AttrWriter w, long base, long mask, long handed, String comment) {
    int list = w.beginNested(NFTA_RULE_EXPRESSIONS);
    NftMasqueradeCodec.writeMarkMatch(w, base, mask);
    expr(w, "immediate", x -> {
      x.putBe32(NFTA_IMMEDIATE_DREG, NFT_REG_1);
      data(x, NFTA_IMMEDIATE_DATA, u32(handed));
    });
    expr(w, "meta", x -> x.putBe32(NFTA_META_KEY, NFT_META_MARK).putBe32(NFTA_META_SREG, NFT_REG_1));
    w.endNested(list);
    NftRuleCodec.writeComment(w, comment);
  }

  /** Whether a rule read back is this hand-off of marks BASE/MASK to HANDED. */
  static boolean is(AttrReader rule, long base, long mask, long handed) {
    Long cmp = null;
    Long and = null;
    Long set = null;
    for (AttrReader.Attr e : AttrReader.parse(rule.require(NFTA_RULE_EXPRESSIONS).payload()).all()) {
      AttrReader x = AttrReader.parse(e.payload());
      String name = x.string(NFTA_EXPR_NAME);
      AttrReader d = x.has(NFTA_EXPR_DATA) ? x.nested(NFTA_EXPR_DATA) : null;
      switch (name) {
        case "bitwise" -> and = fromU32(d.nested(NFTA_BITWISE_MASK).bytes(NFTA_DATA_VALUE));
        case "cmp" -> cmp = fromU32(d.nested(NFTA_CMP_DATA).bytes(NFTA_DATA_VALUE));
        case "immediate" -> set = fromU32(d.nested(NFTA_IMMEDIATE_DATA).bytes(NFTA_DATA_VALUE));
        case "meta" -> { }
        default -> {
          return false;
        }
      }
    }
    return cmp != null && cmp == base && and != null && and == mask && set != null && set == handed;
  }

  private static byte[] u32(long v) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt((int) v).array();
  }

  /** A value of another width (a protocol byte, a port) is no mark: -1, which no mark equals. */
  private static long fromU32(byte[] b) {
    if (b.length != 4) {
      return -1;
    }
    return Integer.toUnsignedLong(ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt());
  }
}
