package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.nft.NetlinkClientTrafficClient;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeInCluster;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** In-cluster clients' services as the agent translates them: a fwmark NAT service and a local-only marking rule. */
class ClientServicesTest {
  static NodeIpvsService client(String owner, String vip, int port, String uplinkOf) {
    return new NodeIpvsService(owner, vip, port, Protocol.TCP, null, null, "rr", null, null, null,
        List.of(new NodeDestination("198.18.5.1", 8080, 2, Forwarding.NAT, null, null, null, null)), null,
        new NodeInCluster(uplinkOf));
  }

  static Translation translate(List<NodeIpvsService> services) {
    var holders = NodeStateTranslator.AddressHolders.of(List.of(
        new InterfaceAddress("eth0", NodeStateTranslatorTest.ip("198.18.1.1"), 24),
        new InterfaceAddress("lo", NodeStateTranslatorTest.ip("198.18.10.1"), 32)));
    return new NodeStateTranslator().translate(new LvsNodeStateSpec("n1", services, null, null, null, null),
        NodeStateTranslator.EntryPaths.PLAIN, holders);
  }

  @Test
  void aClientsServiceIsAFwmarkNatServiceFedByALocalOnlyRuleSkippingTheUplink() {
    Translation t = translate(List.of(client("ns/web", "198.18.10.1", 80, "198.18.1.1")));
    assertThat(t.errors()).isEmpty();
    DesiredState d = t.desired();
    MarkRule m = d.marks().get(0);
    assertThat(d.marks()).hasSize(1);
    assertThat(m.clientsUplink()).isEqualTo("eth0");
    assertThat(m.network().getHostAddress()).isEqualTo("198.18.10.1");
    assertThat(m.port()).isEqualTo(80);
    assertThat(m.mark() & NetlinkClientTrafficClient.MARK_MASK).isEqualTo(NetlinkClientTrafficClient.MARK_BASE);
    assertThat(d.services().values()).singleElement().satisfies(s -> {
      assertThat(s.key().isFwmark()).isTrue();
      assertThat(s.key().fwmark()).isEqualTo(m.mark());
      assertThat(s.destinations().values()).singleElement().satisfies(x -> {
        assertThat(x.destination().forwardMethod()).isEqualTo(ForwardMethod.MASQ);
        assertThat(x.destination().key().port()).isEqualTo(8080);
      });
    });
    assertThat(t.healthTargets()).isEmpty(); // the directors check, not every client node
  }

  @Test
  void marksAreDistinctAndEachKeysMarkDoesNotDependOnTheOthers() {
    List<NodeIpvsService> many = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      many.add(client("ns/s" + i, "198.18.10." + (i % 250 + 1), 1000 + i, "198.18.1.1"));
    }
    Map<String, Long> marks = ClientServices.marks(many);
    assertThat(marks).hasSize(300);
    assertThat(marks.values()).doesNotHaveDuplicates().allSatisfy(m -> assertThat(m).isBetween(
        NetlinkClientTrafficClient.MARK_BASE + 1, NetlinkClientTrafficClient.MARK_BASE + 0xffff));
    String key = ClientServices.key(many.get(7));
    assertThat(ClientServices.marks(List.of(many.get(7))).get(key)).isEqualTo(marks.get(key));
  }

  @Test
  void badEntriesAreReportedToTheirOwnerNamingTheField() {
    Translation t = translate(List.of(client("ns/a", "198.18.10.1", 80, "198.18.99.9"),
        client("ns/b", "2001:db8::1", 80, "198.18.1.1"), client("ns/c", "198.18.10.2", 80, null)));
    assertThat(t.errors().get("ns/a")).singleElement().asString().contains("spec.services[0]",
        "inCluster.uplinkOf: no interface holds 198.18.99.9");
    assertThat(t.errors().get("ns/b")).singleElement().asString().contains("IPv4 vips only");
    assertThat(t.errors().get("ns/c")).singleElement().asString().contains("inCluster.uplinkOf missing");
    assertThat(t.desired().services()).isEmpty();
    assertThat(t.desired().marks()).isEmpty();
  }
}
