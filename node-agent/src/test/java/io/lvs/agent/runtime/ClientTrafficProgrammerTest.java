package io.lvs.agent.runtime;

import static io.lvs.agent.runtime.NodeStateTranslatorTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.nft.ClientTraffic;
import io.lvs.agent.nft.ClientTrafficClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Director marks go to their own programmer; clients' marks become the clients' objects, written only when they differ. */
class ClientTrafficProgrammerTest {
  /** The clients' tables and route as one value; counts writes; can be made to hold something else. */
  static final class Node implements ClientTrafficClient {
    ClientTraffic held = ClientTraffic.NONE;
    int writes;
    boolean dropPrerouting;

    @Override
    public ClientTraffic read() {
      return held;
    }

    @Override
    public void replaceAll(List<MarkRule> rules) {
      writes++;
      ClientTraffic t = ClientTraffic.of(rules);
      held = dropPrerouting ? new ClientTraffic(t.output(), java.util.Set.of(), t.masquerade(), t.policyRoute()) : t;
    }
  }

  final Node node = new Node();
  final List<List<MarkRule>> directorCalls = new ArrayList<>();
  final ClientTrafficProgrammer programmer = new ClientTrafficProgrammer(r -> {
    directorCalls.add(r);
    return Map.of();
  }, node);
  final MarkRule director = new MarkRule("ns/fw", 7, ip("198.18.0.100"), 32, IpProtocol.TCP, 80, 80);
  final MarkRule client = new MarkRule("ns/web", 0x4c560001L, ip("198.18.0.101"), 32, IpProtocol.TCP, 80, 80, "eth0");

  @Test
  void aNodeWithoutClientsRulesIsNeverWrittenTo() {
    assertThat(programmer.apply(List.of(director))).isEmpty();
    assertThat(programmer.apply(List.of())).isEmpty();
    assertThat(node.writes).isZero();
    assertThat(directorCalls).containsExactly(List.of(director), List.of());
  }

  @Test
  void clientsRulesAreWrittenOnceThenLeftAloneThenRemovedWhole() {
    assertThat(programmer.apply(List.of(director, client))).isEmpty();
    assertThat(directorCalls).containsExactly(List.of(director)); // the clients' rule never reaches the director table
    assertThat(node.held).isEqualTo(new ClientTraffic(java.util.Set.of(client.withoutUplink()), java.util.Set.of(client), 1,
        true));
    assertThat(programmer.apply(List.of(director, client))).isEmpty();
    assertThat(node.writes).isEqualTo(1);
    assertThat(programmer.apply(List.of(director))).isEmpty();
    assertThat(node.held).isEqualTo(ClientTraffic.NONE);
    assertThat(node.writes).isEqualTo(2);
  }

  @Test
  void aReadBackThatDiffersIsReportedToTheOwner() {
    node.dropPrerouting = true;
    assertThat(programmer.apply(List.of(client))).containsOnlyKeys("ns/web");
    assertThat(programmer.apply(List.of(client)).get("ns/web")).singleElement().asString().contains("read back differ");
  }
}
