package io.lvs.agent.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.MalformedMessageException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Marking rules written as nf_tables expressions read back as the same rules, and nothing else reads as one. */
class NftMarkCodecTest {
  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static MarkRule roundTrip(MarkRule r) {
    AttrWriter w = new AttrWriter();
    NftMarkCodec.writeExpressions(w, r);
    return NftMarkCodec.read(AttrReader.parse(w.toBuffer()));
  }

  @Test
  void everyShapeOfRuleReadsBackAsItself() {
    List<MarkRule> rules = List.of(
        new MarkRule("ns/a", 1, ip("198.18.0.10"), 32, IpProtocol.TCP, 80, 80),
        new MarkRule("ns/b", 4294967295L, ip("198.18.4.0"), 24, IpProtocol.UDP, 8000, 8100),
        new MarkRule("ns/c", 77, ip("198.18.0.0"), 15, IpProtocol.SCTP, 0, 0),
        new MarkRule("ns/v6", 0x10203, ip("2001:db8::10"), 128, IpProtocol.TCP, 443, 443),
        new MarkRule("ns/v6net", 5, ip("2001:db8:1::"), 61, IpProtocol.UDP, 1, 65535));
    for (MarkRule r : rules) {
      assertThat(roundTrip(r)).isEqualTo(r);
    }
  }

  @Test
  void aClientsRuleReadsBackWithItsUplinkAndSkipsTheTunnelDevicesToo() {
    MarkRule r = new MarkRule("ns/web", 0x4c561234L, ip("198.18.0.10"), 32, IpProtocol.TCP, 80, 80, "eth0");
    assertThat(roundTrip(r)).isEqualTo(r);
    AttrWriter w = new AttrWriter();
    NftMarkCodec.writeExpressions(w, r);
    String bytes = new String(w.toArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(bytes).contains("eth0\0", "tunl0\0", "gre0\0");
    // the director's rule of the same traffic has no interface match at all
    AttrWriter d = new AttrWriter();
    NftMarkCodec.writeExpressions(d, r.withoutUplink());
    assertThat(new String(d.toArray(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("eth0", "tunl0");
    assertThatThrownBy(() -> NftMarkCodec.ifname("averyveryverylongname")).hasMessageContaining("averyveryverylongname");
  }

  @Test
  void hostBitsAreClearedSoTheKernelsComparisonAndTheListingAgree() {
    MarkRule r = new MarkRule("ns/a", 3, ip("198.18.4.77"), 22, IpProtocol.TCP, 0, 0);
    assertThat(r.network()).isEqualTo(ip("198.18.4.0"));
    assertThat(roundTrip(r).network()).isEqualTo(ip("198.18.4.0"));
    assertThat(NftMarkCodec.mask(4, 22)).containsExactly(0xff, 0xff, 0xfc, 0x00);
  }

  @Test
  void anSnatRuleIsNotAMarkingRule() {
    AttrWriter w = new AttrWriter();
    NftRuleCodec.writeExpressions(w, new NftRuleCodec.Rule("ns/a", IpProtocol.TCP, ip("198.18.0.11"), 80,
        ip("198.18.0.1")));
    assertThatThrownBy(() -> NftMarkCodec.read(AttrReader.parse(w.toBuffer())))
        .isInstanceOf(MalformedMessageException.class).hasMessageContaining("expression nat");
  }

  @Test
  void badRulesAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> new MarkRule("ns/a", 0, ip("198.18.0.1"), 32, IpProtocol.TCP, 0, 0))
        .hasMessageContaining("mark 0");
    assertThatThrownBy(() -> new MarkRule("ns/a", 1, ip("198.18.0.1"), 33, IpProtocol.TCP, 0, 0))
        .hasMessageContaining("prefix length 33");
    assertThatThrownBy(() -> new MarkRule("ns/a", 1, ip("198.18.0.1"), 32, IpProtocol.TCP, 90, 80))
        .hasMessageContaining("ports 90..80");
  }
}
