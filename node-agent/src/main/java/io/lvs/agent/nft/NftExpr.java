package io.lvs.agent.nft;

import static io.lvs.agent.nft.Nft.*;

import io.lvs.agent.netlink.AttrWriter;
import java.util.function.Consumer;

/**
 * The nf_tables expressions both rule codecs write: each an NFTA_LIST_ELEM of
 * {NFTA_EXPR_NAME, NFTA_EXPR_DATA {...}} inside NFTA_RULE_EXPRESSIONS, loading into and comparing
 * register 1.
 */
final class NftExpr {
  private NftExpr() {}

  static void expr(AttrWriter w, String name, Consumer<AttrWriter> data) {
    int e = w.beginNested(NFTA_LIST_ELEM);
    w.putString(NFTA_EXPR_NAME, name);
    int d = w.beginNested(NFTA_EXPR_DATA);
    data.accept(w);
    w.endNested(d);
    w.endNested(e);
  }

  /** [ payload load LEN b @ BASE header + OFFSET => reg 1 ] */
  static void payload(AttrWriter w, int base, int offset, int len) {
    expr(w, "payload", x -> x.putBe32(NFTA_PAYLOAD_DREG, NFT_REG_1).putBe32(NFTA_PAYLOAD_BASE, base)
        .putBe32(NFTA_PAYLOAD_OFFSET, offset).putBe32(NFTA_PAYLOAD_LEN, len));
  }

  /** [ cmp OP reg 1 VALUE ] */
  static void cmp(AttrWriter w, int op, byte[] value) {
    expr(w, "cmp", x -> {
      x.putBe32(NFTA_CMP_SREG, NFT_REG_1).putBe32(NFTA_CMP_OP, op);
      data(x, NFTA_CMP_DATA, value);
    });
  }

  /** An attribute holding NFTA_DATA_VALUE (struct nft_data). */
  static void data(AttrWriter x, int type, byte[] value) {
    int d = x.beginNested(type);
    x.putBytes(NFTA_DATA_VALUE, value);
    x.endNested(d);
  }
}
