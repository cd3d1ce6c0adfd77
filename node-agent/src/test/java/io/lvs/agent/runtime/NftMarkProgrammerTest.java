package io.lvs.agent.runtime;

import static io.lvs.agent.runtime.NodeStateTranslatorTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.nft.MarkClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NftMarkProgrammerTest {
  /** The agent's marking table as a list of rules; counts writes; can be made to fail. */
  static final class Table implements MarkClient {
    List<MarkRule> rules = new ArrayList<>();
    int replaces;
    String failWith;

    @Override
    public List<MarkRule> list() {
      return List.copyOf(rules);
    }

    @Override
    public void replaceAll(List<MarkRule> r) {
      if (failWith != null) {
        throw new IllegalStateException(failWith);
      }
      replaces++;
      rules = new ArrayList<>(r);
    }
  }

  final Table table = new Table();
  final NftMarkProgrammer programmer = new NftMarkProgrammer(table);
  final MarkRule a = new MarkRule("ns/mark", 9, ip("198.18.0.100"), 32, IpProtocol.TCP, 80, 80);
  final MarkRule b = new MarkRule("ns/mark", 9, ip("198.18.0.101"), 32, IpProtocol.TCP, 443, 443);

  @Test
  void aNodeWithoutFwmarkServicesNeverWritesTheTable() {
    assertThat(programmer.apply(List.of())).isEmpty();
    assertThat(table.replaces).isZero();
  }

  @Test
  void rulesAreReplacedOnlyWhenTheyDifferAsASetAndRemovedWithTheirService() {
    assertThat(programmer.apply(List.of(a, b))).isEmpty();
    assertThat(programmer.apply(List.of(b, a))).isEmpty();
    assertThat(table.replaces).isOne();
    assertThat(table.rules).containsExactly(a, b);
    assertThat(programmer.apply(List.of())).isEmpty();
    assertThat(table.rules).isEmpty();
    assertThat(table.replaces).isEqualTo(2);
  }

  @Test
  void aFailureIsReportedToEachOwnerOnce() {
    table.failWith = "EPERM";
    Map<String, List<String>> problems = programmer.apply(List.of(a, b));
    assertThat(problems).containsOnlyKeys("ns/mark");
    assertThat(problems.get("ns/mark")).containsExactly("replace marking rules: EPERM");
    assertThat(MarkProgrammer.NONE.apply(List.of(a, b)).get("ns/mark")).singleElement().asString()
        .contains("fwmark 9").contains("no nftables backend");
  }
}
