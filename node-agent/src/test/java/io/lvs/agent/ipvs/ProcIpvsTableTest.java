package io.lvs.agent.ipvs;

import static io.lvs.agent.fake.Fixtures.dest;
import static io.lvs.agent.fake.Fixtures.rs;
import static io.lvs.agent.fake.Fixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.fake.Fixtures;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.ServiceKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kernel's text table as Linux 6.1 prints it (net/netfilter/ipvs/ip_vs_ctl.c, ip_vs_info_seq_show). */
class ProcIpvsTableTest {
  static final String TEXT = """
      IP Virtual Server version 1.2.1 (size=4096)
      Prot LocalAddress:Port Scheduler Flags
        -> RemoteAddress:Port Forward Weight ActiveConn InActConn
      TCP  C6120001:0050 wrr\s
        -> C6130102:0050      Route   2      0          0        \s
        -> C6130101:0050      Route   77     3          12       \s
      UDP  C6120002:0035 rr persistent 300 FFFFFFFF
        -> C6130201:0035      Masq    1      0          1        \s
      FWM  00000007 rr\s
        -> C6130301:0000      Tunnel  1      0          0        \s
      TCP  [2001:0db8:0000:0000:0000:0000:0000:0001]:01BB sh\s
        -> [2001:0db8:0000:0000:0000:0000:0000:0010]:01BB      Local   5      0          0        \s
      """;

  @Test
  void everyAddressServiceWithItsDestinationsInTheKernelsOrder() {
    Map<ServiceKey, List<ProcIpvsTable.Row>> t = ProcIpvsTable.parse(TEXT);

    assertThat(t.get(tcp("198.18.0.1", 80))).containsExactly(
        new ProcIpvsTable.Row(rs("198.19.1.2", 80), "Route", 2, 0, 0),
        new ProcIpvsTable.Row(rs("198.19.1.1", 80), "Route", 77, 3, 12));
    assertThat(t.get(ServiceKey.of(IpProtocol.UDP, Fixtures.ip("198.18.0.2"), 53)))
        .containsExactly(new ProcIpvsTable.Row(rs("198.19.2.1", 53), "Masq", 1, 0, 1));
    assertThat(t.get(tcp("2001:db8::1", 443)))
        .containsExactly(new ProcIpvsTable.Row(rs("2001:db8::10", 443), "Local", 5, 0, 0));
    assertThat(t).as("fwmark services are left out: the line does not give their family").hasSize(3);
  }

  @Test
  void fieldsAreWhatARegexSplitOfTheStrippedLineGives() {
    java.util.Random r = new java.util.Random(5);
    String alphabet = "  \t-:>AC019[]";
    for (int i = 0; i < 10_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int c = r.nextInt(30); c > 0; c--) {
        b.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String l = b.toString();
      String[] regex = l.strip().split("\\s+");
      String[] expected = regex.length == 1 && regex[0].isEmpty() ? new String[0] : regex; // a blank line has none
      assertThat(ProcIpvsTable.fields(l)).as("[%s]", l).containsExactly(expected);
    }
  }

  @Test
  void aRowShowsADestinationWhenKeyWeightAndForwardingMatch() {
    ProcIpvsTable.Row row = new ProcIpvsTable.Row(rs("198.19.1.1", 80), "Route", 77, 3, 12);

    assertThat(row.shows(dest("198.19.1.1", 80, ForwardMethod.DROUTE, 77))).isTrue();
    assertThat(row.shows(dest("198.19.1.1", 80, ForwardMethod.DROUTE, 1))).isFalse();
    assertThat(row.shows(dest("198.19.1.1", 80, ForwardMethod.MASQ, 77))).isFalse();
    assertThat(row.shows(dest("198.19.1.2", 80, ForwardMethod.DROUTE, 77))).isFalse();
    assertThat(new ProcIpvsTable.Row(rs("198.19.1.1", 80), "Masq", 1, 0, 0)
        .shows(dest("198.19.1.1", 80, ForwardMethod.BYPASS, 1))).as("the kernel prints BYPASS as Masq").isTrue();
  }
}
