package io.lvs.agent.nft;

import static io.lvs.agent.kernellab.Oracle.in;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.model.IpProtocol;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Marking rules of every shape (host and CIDR, IPv4 and IPv6, one port, a range, any port) written
 * through {@link NetlinkMarkClient} in one namespace and as text by `nft -f` in another: `nft list`
 * must print both tables identically; the SNAT table and a foreign one stay untouched.
 */
@Tag("kernel")
class NetlinkMarkClientKernelTest {
  private static final String NS = "kt-mark";
  private static final String REF = "kt-mark-ref";
  private static NetlinkMarkClient marks;
  private static NetlinkNftClient snat;

  @BeforeAll
  static void namespaces() {
    Oracle.freshNetns(NS);
    Oracle.freshNetns(REF);
    marks = NetlinkMarkClient.open(NS);
    snat = NetlinkNftClient.open(NS);
  }

  @AfterAll
  static void cleanup() {
    if (marks != null) {
      marks.close();
    }
    if (snat != null) {
      snat.close();
    }
    Oracle.deleteNetns(NS);
    Oracle.deleteNetns(REF);
  }

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void replaceAllMatchesWhatNftWritesFromTextAndLeavesOtherTablesAlone() throws Exception {
    in(NS, "nft", "add table ip other; add chain ip other c { type filter hook output priority 0; }; add rule ip other c ip daddr 198.18.99.1 drop");
    String foreign = in(NS, "nft", "list table ip other");
    snat.replaceAll(List.of(new io.lvs.agent.dataplane.SnatRule("web/full", IpProtocol.TCP, List.of(ip("198.18.0.11")),
        80, ip("198.18.0.1"))));
    String snatTable = in(NS, "nft", "list table ip lvs-operator");
    List<MarkRule> rules = List.of(
        new MarkRule("web/a", 9, ip("198.18.0.100"), 32, IpProtocol.TCP, 80, 80),
        new MarkRule("web/a", 9, ip("198.18.4.0"), 24, IpProtocol.UDP, 8000, 8100),
        new MarkRule("web/b", 10, ip("198.18.0.101"), 32, IpProtocol.SCTP, 0, 0),
        new MarkRule("web/v6", 11, ip("2001:db8::"), 64, IpProtocol.TCP, 443, 443));
    marks.replaceAll(rules);
    Oracle.withInput(String.join("\n",
        "table ip lvs-operator-mark {",
        "  chain prerouting {",
        "    type filter hook prerouting priority mangle; policy accept;",
        "    meta l4proto tcp ip daddr 198.18.0.100 th dport 80 meta mark set 0x00000009 comment \"web/a\"",
        "    meta l4proto udp ip daddr 198.18.4.0/24 th dport 8000-8100 meta mark set 0x00000009 comment \"web/a\"",
        "    meta l4proto sctp ip daddr 198.18.0.101 meta mark set 0x0000000a comment \"web/b\"",
        "  }",
        "}",
        "table ip6 lvs-operator-mark {",
        "  chain prerouting {",
        "    type filter hook prerouting priority mangle; policy accept;",
        "    meta l4proto tcp ip6 daddr 2001:db8::/64 th dport 443 meta mark set 0x0000000b comment \"web/v6\"",
        "  }",
        "}", ""), "ip", "netns", "exec", REF, "nft", "-f", "-");
    String ours = in(NS, "nft", "list", "table", "ip", "lvs-operator-mark")
        + in(NS, "nft", "list", "table", "ip6", "lvs-operator-mark");
    String theirs = in(REF, "nft", "list", "table", "ip", "lvs-operator-mark")
        + in(REF, "nft", "list", "table", "ip6", "lvs-operator-mark");
    System.out.println("marking rules as nft lists them:\n" + ours);
    assertThat(ours).isEqualTo(theirs).contains("198.18.4.0/24").contains("2001:db8::/64");
    assertThat(marks.list()).containsExactlyElementsOf(rules);

    marks.replaceAll(List.of(rules.get(2)));
    assertThat(marks.list()).containsExactly(rules.get(2));
    assertThat(in(NS, "nft", "list", "ruleset")).doesNotContain("table ip6 lvs-operator-mark");

    marks.replaceAll(List.of());
    assertThat(marks.list()).isEmpty();
    assertThat(in(NS, "nft", "list", "ruleset")).doesNotContain("lvs-operator-mark");
    assertThat(in(NS, "nft", "list table ip other")).isEqualTo(foreign);
    assertThat(in(NS, "nft", "list table ip lvs-operator")).isEqualTo(snatTable);
  }
}
