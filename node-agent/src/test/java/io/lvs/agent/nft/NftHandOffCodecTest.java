package io.lvs.agent.nft;

import static io.lvs.agent.nft.NetlinkClientTrafficClient.HANDED_OFF;
import static io.lvs.agent.nft.NetlinkClientTrafficClient.MARK_BASE;
import static io.lvs.agent.nft.NetlinkClientTrafficClient.MARK_MASK;
import static io.lvs.agent.nft.NetlinkClientTrafficClient.MASQ_MASK;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import org.junit.jupiter.api.Test;

/** The hand-off rule reads back as itself; a marking rule or a masquerade does not read as one. */
class NftHandOffCodecTest {
  static AttrReader handOff(long base, long mask, long handed) {
    AttrWriter w = new AttrWriter();
    NftHandOffCodec.writeExpressions(w, base, mask, handed, "c");
    return AttrReader.parse(w.toBuffer());
  }

  @Test
  void theHandOffReadsBackOnlyWithItsOwnMarks() {
    assertThat(NftHandOffCodec.is(handOff(MARK_BASE, MARK_MASK, HANDED_OFF), MARK_BASE, MARK_MASK, HANDED_OFF)).isTrue();
    assertThat(NftHandOffCodec.is(handOff(MARK_BASE, MARK_MASK, 0x4c580000L), MARK_BASE, MARK_MASK, HANDED_OFF)).isFalse();
    assertThat(NftHandOffCodec.is(handOff(MARK_BASE, MASQ_MASK, HANDED_OFF), MARK_BASE, MARK_MASK, HANDED_OFF)).isFalse();
  }

  @Test
  void otherRulesAreNotTheHandOff() {
    AttrWriter m = new AttrWriter();
    NftMarkCodec.writeExpressions(m, new MarkRule("ns/web", MARK_BASE | 1, NftMarkCodecTest.ip("198.18.0.10"), 32,
        IpProtocol.TCP, 80, 80));
    assertThat(NftHandOffCodec.is(AttrReader.parse(m.toBuffer()), MARK_BASE, MARK_MASK, HANDED_OFF)).isFalse();
    AttrWriter q = new AttrWriter();
    NftMasqueradeCodec.writeExpressions(q, MARK_BASE, MASQ_MASK, "c");
    assertThat(NftHandOffCodec.is(AttrReader.parse(q.toBuffer()), MARK_BASE, MARK_MASK, HANDED_OFF)).isFalse();
    // the masquerade covers both the clients' marks and the handed-off one, the policy rule only the former
    assertThat(HANDED_OFF & MASQ_MASK).isEqualTo(MARK_BASE);
    assertThat(HANDED_OFF & MARK_MASK).isNotEqualTo(MARK_BASE);
  }
}
