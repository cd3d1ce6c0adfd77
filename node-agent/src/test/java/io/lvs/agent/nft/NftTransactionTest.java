package io.lvs.agent.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.dataplane.SnatRule;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.Errno;
import io.lvs.agent.netlink.NetlinkConnection;
import io.lvs.agent.netlink.NlMessage;
import io.lvs.agent.netlink.ScriptedTransport;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The nf_tables batch against layouts from linux/netfilter/nfnetlink.h (NFNL_MSG_BATCH_BEGIN 0x10,
 * struct nfgenmsg, res_id NFNL_SUBSYS_NFTABLES as __be16) and nf_tables.h, over a transport that
 * plays the kernel.
 */
class NftTransactionTest {
  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void oneDatagramFramedByBatchBeginAndEnd() throws Exception {
    ScriptedTransport t = new ScriptedTransport(msgs -> List.of()); // a committed batch answers nothing
    new NetlinkNftClient(new NetlinkConnection(t)).replaceAll(List.of(
        new SnatRule("ns/a", IpProtocol.TCP, List.of(ip("198.18.0.11"), ip("198.18.0.12")), 80, ip("198.18.0.1"))));
    assertThat(t.sent).hasSize(1);
    List<NlMessage> m = NlMessage.parseAll(ByteBuffer.wrap(t.sent.get(0)));
    // BEGIN; ip: add, delete, add table, add chain, 2 rules; ip6: add, delete table; END
    assertThat(m).extracting(NlMessage::type).containsExactly(0x10, 0x0a00, 0x0a02, 0x0a00, 0x0a03, 0x0a06, 0x0a06,
        0x0a00, 0x0a02, 0x11);
    // struct nfgenmsg {family AF_UNSPEC, version NFNETLINK_V0, res_id htons(NFNL_SUBSYS_NFTABLES=10)}
    assertThat(HexFormat.of().formatHex(bytes(m.get(0).payload()))).isEqualTo("0000000a");
    assertThat(m.get(0).flags()).isEqualTo(0x01); // NLM_F_REQUEST only: no ACK is asked for
    assertThat(m.get(5).flags()).isEqualTo(0x01 | 0x400 | 0x800); // REQUEST|CREATE|APPEND
    // the chain's hook: NFTA_CHAIN_HOOK {HOOKNUM __be32 NF_INET_POST_ROUTING=4, PRIORITY __be32 100}
    AttrReader chain = m.get(4).attrs(Nft.NFGENMSG_LEN);
    assertThat(HexFormat.of().formatHex(chain.bytes(Nft.NFTA_CHAIN_HOOK)))
        .isEqualTo("0800010000000004" + "0800020000000064");
    assertThat(chain.string(Nft.NFTA_CHAIN_TYPE)).isEqualTo("nat");
    // the rule reads back as what was written, the owner from its comment
    NftRuleCodec.Rule r = NftRuleCodec.read(m.get(6).attrs(Nft.NFGENMSG_LEN));
    assertThat(r).isEqualTo(new NftRuleCodec.Rule("ns/a", IpProtocol.TCP, ip("198.18.0.12"), 80, ip("198.18.0.1")));
    // userdata: NFTNL_UDATA_RULE_COMMENT(0), len 5, "ns/a\0"
    assertThat(HexFormat.of().formatHex(m.get(6).attrs(Nft.NFGENMSG_LEN).bytes(Nft.NFTA_RULE_USERDATA)))
        .isEqualTo("00056e732f6100");
  }

  @Test
  void theFirstRefusedMessageNamesTheFailure() throws Exception {
    ScriptedTransport t = new ScriptedTransport(msgs -> msgs.stream()
        .filter(x -> x.type() == Nft.type(Nft.NFT_MSG_NEWRULE))
        .map(x -> ScriptedTransport.ack(x, -Errno.ENOENT, null)).toList());
    NetlinkNftClient c = new NetlinkNftClient(new NetlinkConnection(t));
    assertThatThrownBy(() -> c.replaceAll(List.of(
        new SnatRule("ns/a", IpProtocol.UDP, List.of(ip("198.18.0.11"), ip("198.18.0.12")), 53, ip("198.18.0.1")))))
        .hasMessage("add SNAT rule meta l4proto udp ip daddr 198.18.0.11 th dport 53 snat to 198.18.0.1 (ns/a): ENOENT");
    assertThatThrownBy(() -> c.replaceAll(List.of(
        new SnatRule("ns/a", IpProtocol.UDP, List.of(ip("2001:db8::1")), 53, ip("198.18.0.1")))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different families");
  }

  @Test
  void ruleExpressionsRoundTrip() throws Exception {
    for (NftRuleCodec.Rule r : List.of(
        new NftRuleCodec.Rule("x/y", IpProtocol.SCTP, ip("2001:db8::5"), 65535, ip("2001:db8::1")),
        new NftRuleCodec.Rule("", IpProtocol.TCP, ip("198.18.0.5"), 0, ip("198.18.0.1")))) {
      AttrWriter w = new AttrWriter();
      NftRuleCodec.writeExpressions(w, r);
      assertThat(NftRuleCodec.read(AttrReader.parse(w.toBuffer()))).isEqualTo(r);
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }
}
