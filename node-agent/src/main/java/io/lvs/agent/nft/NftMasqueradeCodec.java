package io.lvs.agent.nft;

import static io.lvs.agent.nft.Nft.*;
import static io.lvs.agent.nft.NftExpr.*;

import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The in-cluster clients' source NAT as nf_tables expressions, what `nft` makes of
 * {@code meta mark and MASK == BASE masquerade}:
 * <pre>
 * [ meta load mark => reg 1 ]  [ bitwise reg 1 = (reg 1 &amp; MASK) ^ 0 ]  [ cmp eq reg 1 BASE ]  [ masq ]
 * </pre>
 * Marks are host-order u32s.
 */
final class NftMasqueradeCodec {
  private NftMasqueradeCodec() {}

  static void writeExpressions(AttrWriter w, long base, long mask, String comment) {
    int list = w.beginNested(NFTA_RULE_EXPRESSIONS);
    writeMarkMatch(w, base, mask);
    expr(w, "masq", x -> {});
    w.endNested(list);
    NftRuleCodec.writeComment(w, comment);
  }

  /** meta mark & MASK == BASE: the match both the masquerade and the hand-off rule start with. */
  static void writeMarkMatch(AttrWriter w, long base, long mask) {
    expr(w, "meta", x -> x.putBe32(NFTA_META_DREG, NFT_REG_1).putBe32(NFTA_META_KEY, NFT_META_MARK));
    expr(w, "bitwise", x -> {
      x.putBe32(NFTA_BITWISE_SREG, NFT_REG_1).putBe32(NFTA_BITWISE_DREG, NFT_REG_1).putBe32(NFTA_BITWISE_LEN, 4);
      data(x, NFTA_BITWISE_MASK, u32(mask));
      data(x, NFTA_BITWISE_XOR, new byte[4]);
    });
    cmp(w, NFT_CMP_EQ, u32(base));
  }

  /** Whether a rule read back is this masquerade of marks BASE/MASK. */
  static boolean is(AttrReader rule, long base, long mask) {
    boolean masq = false;
    Long cmp = null;
    Long and = null;
    for (AttrReader.Attr e : AttrReader.parse(rule.require(NFTA_RULE_EXPRESSIONS).payload()).all()) {
      AttrReader x = AttrReader.parse(e.payload());
      String name = x.string(NFTA_EXPR_NAME);
      AttrReader d = x.has(NFTA_EXPR_DATA) ? x.nested(NFTA_EXPR_DATA) : null;
      switch (name) {
        case "masq" -> masq = true;
        case "bitwise" -> and = fromU32(d.nested(NFTA_BITWISE_MASK).bytes(NFTA_DATA_VALUE));
        case "cmp" -> cmp = fromU32(d.nested(NFTA_CMP_DATA).bytes(NFTA_DATA_VALUE));
        default -> { }
      }
    }
    return masq && cmp != null && cmp == base && and != null && and == mask;
  }

  private static byte[] u32(long v) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt((int) v).array();
  }

  private static long fromU32(byte[] b) {
    return Integer.toUnsignedLong(ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt());
  }
}
