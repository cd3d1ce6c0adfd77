package io.lvs.agent.nft;

import static io.lvs.agent.kernellab.Oracle.in;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.SnatRule;
import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.model.IpProtocol;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SNAT rules written through {@link NetlinkNftClient} in one namespace, and the same rules written
 * as text by `nft -f` in another: `nft list ruleset` must print both identically.
 */
@Tag("kernel")
class NetlinkNftClientKernelTest {
  private static final String NS = "kt-nft";
  private static final String REF = "kt-nft-ref";
  private static NetlinkNftClient nft;

  @BeforeAll
  static void namespaces() {
    Oracle.freshNetns(NS);
    Oracle.freshNetns(REF);
    nft = NetlinkNftClient.open(NS);
  }

  @AfterAll
  static void cleanup() {
    if (nft != null) {
      nft.close();
    }
    Oracle.deleteNetns(NS);
    Oracle.deleteNetns(REF);
  }

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void replaceAllMatchesWhatNftWritesFromTextAndListsBack() throws Exception {
    // a foreign table in the same namespace must stay as it is
    in(NS, "nft", "add table ip other; add chain ip other c { type filter hook output priority 0; }; add rule ip other c counter");
    String foreign = in(NS, "nft", "list table ip other");
    List<SnatRule> rules = List.of(
        new SnatRule("web/frontend", IpProtocol.TCP, List.of(ip("198.18.0.11"), ip("198.18.0.12")), 80, ip("198.18.0.1")),
        new SnatRule("dns/resolver", IpProtocol.UDP, List.of(ip("198.18.0.21")), 53, ip("198.18.0.2")),
        new SnatRule("web/v6", IpProtocol.TCP, List.of(ip("2001:db8::11")), 443, ip("2001:db8::1")));
    nft.replaceAll(rules);
    Oracle.withInput(String.join("\n",
        "table ip lvs-operator {",
        "  chain postrouting {",
        "    type nat hook postrouting priority 100; policy accept;",
        "    meta l4proto tcp ip daddr 198.18.0.11 th dport 80 snat to 198.18.0.1 comment \"web/frontend\"",
        "    meta l4proto tcp ip daddr 198.18.0.12 th dport 80 snat to 198.18.0.1 comment \"web/frontend\"",
        "    meta l4proto udp ip daddr 198.18.0.21 th dport 53 snat to 198.18.0.2 comment \"dns/resolver\"",
        "  }",
        "}",
        "table ip6 lvs-operator {",
        "  chain postrouting {",
        "    type nat hook postrouting priority 100; policy accept;",
        "    meta l4proto tcp ip6 daddr 2001:db8::11 th dport 443 snat to 2001:db8::1 comment \"web/v6\"",
        "  }",
        "}", ""), "ip", "netns", "exec", REF, "nft", "-f", "-");
    String ours = in(NS, "nft", "list", "table", "ip", "lvs-operator") + in(NS, "nft", "list", "table", "ip6", "lvs-operator");
    String theirs = in(REF, "nft", "list", "table", "ip", "lvs-operator") + in(REF, "nft", "list", "table", "ip6", "lvs-operator");
    assertThat(ours).isEqualTo(theirs).contains("snat to 198.18.0.1").contains("comment \"web/frontend\"");
    assertThat(nft.list()).containsExactlyElementsOf(rules);

    // replace: one rule left, the ip6 table removed; the foreign table untouched
    List<SnatRule> next = List.of(new SnatRule("dns/resolver", IpProtocol.UDP, List.of(ip("198.18.0.22")), 53,
        ip("198.18.0.2")));
    nft.replaceAll(next);
    assertThat(nft.list()).containsExactlyElementsOf(next);
    String ruleset = in(NS, "nft", "list", "ruleset");
    assertThat(ruleset).contains("ip daddr 198.18.0.22").contains("snat to 198.18.0.2 comment \"dns/resolver\"")
        .doesNotContain("198.18.0.11").doesNotContain("table ip6 lvs-operator");
    assertThat(in(NS, "nft", "list", "table", "ip", "other")).isEqualTo(foreign);

    nft.replaceAll(List.of());
    assertThat(nft.list()).isEmpty();
    assertThat(in(NS, "nft", "list", "ruleset")).doesNotContain("lvs-operator").contains("table ip other");
  }
}
