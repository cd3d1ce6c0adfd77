package io.lvs.agent.runtime;

import static io.lvs.agent.runtime.NodeStateTranslatorTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.SnatRule;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.nft.SnatClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NftSnatProgrammerTest {
  /** The agent's nftables table as a list of rules; counts writes; can be made to fail. */
  static final class Table implements SnatClient {
    List<SnatRule> rules = new ArrayList<>();
    int replaces;
    String failWith;

    @Override
    public List<SnatRule> list() {
      return List.copyOf(rules);
    }

    @Override
    public void replaceAll(List<SnatRule> r) {
      if (failWith != null) {
        throw new IllegalStateException(failWith);
      }
      replaces++;
      rules = new ArrayList<>(r);
    }
  }

  final Table table = new Table();
  final NftSnatProgrammer programmer = new NftSnatProgrammer(table);
  final SnatRule web = new SnatRule("ns/web", IpProtocol.TCP, List.of(ip("198.18.0.11"), ip("198.18.0.12")), 80,
      ip("198.18.0.2"));
  final SnatRule api = new SnatRule("ns/api", IpProtocol.UDP, List.of(ip("198.18.0.13")), 53, ip("198.18.0.2"));

  @Test
  void aNodeWithoutFullNatNeverWritesTheTable() {
    assertThat(programmer.apply(List.of())).isEmpty();
    assertThat(table.replaces).isZero();
  }

  @Test
  void rulesAreReplacedOnlyWhenTheyDifferAsASet() {
    assertThat(programmer.apply(List.of(web, api))).isEmpty();
    assertThat(table.replaces).isOne();
    assertThat(table.rules).containsExactly(web, api);

    // the kernel lists them split per real server and in another order: the same set, no write
    table.rules = new ArrayList<>(List.of(api,
        new SnatRule("ns/web", IpProtocol.TCP, List.of(ip("198.18.0.12")), 80, ip("198.18.0.2")),
        new SnatRule("ns/web", IpProtocol.TCP, List.of(ip("198.18.0.11")), 80, ip("198.18.0.2"))));
    assertThat(programmer.apply(List.of(web, api))).isEmpty();
    assertThat(table.replaces).isOne();

    // drift (a rule deleted by hand) is repaired
    table.rules.remove(0);
    assertThat(programmer.apply(List.of(web, api))).isEmpty();
    assertThat(table.replaces).isEqualTo(2);

    // the last FullNAT service gone: the rules go too
    assertThat(programmer.apply(List.of())).isEmpty();
    assertThat(table.rules).isEmpty();
  }

  @Test
  void aFailedTransactionIsReportedToEveryOwnerWithTheStep() {
    table.failWith = "replace SNAT rules in ip lvs-operator: EPERM (errno 1)";
    var problems = programmer.apply(List.of(web, api));
    assertThat(problems).containsOnlyKeys("ns/web", "ns/api");
    assertThat(problems.get("ns/web")).singleElement().asString()
        .startsWith("replace SNAT rules: ").contains("EPERM");
  }
}
