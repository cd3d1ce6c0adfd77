package io.lvs.agent.runtime;

import static io.lvs.agent.runtime.NodeStateTranslatorTest.dest;
import static io.lvs.agent.runtime.NodeStateTranslatorTest.dr;
import static io.lvs.agent.runtime.NodeStateTranslatorTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.ServiceKey;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeSysctl;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A node's slices merged into the one spec the agent applies: order, owners, generations, duplicates, errors. */
class SliceUnionTest {
  final NodeStateTranslator translator = new NodeStateTranslator();
  final ServiceKey web = ServiceKey.of(IpProtocol.TCP, ip("198.18.0.100"), 80);
  final ServiceKey api = ServiceKey.of(IpProtocol.TCP, ip("198.18.0.101"), 443);

  static LvsNodeStateSpec spec(List<NodeIpvsService> services, List<NodeAddress> addresses, List<NodeSysctl> sysctls) {
    return new LvsNodeStateSpec("n1", services, addresses, null, sysctls, null);
  }

  static NodeAddress lo(String owner, String ip) {
    return new NodeAddress(owner, ip, 32, "lo", null);
  }

  static NodeSysctl arpIgnore(String owner) {
    return new NodeSysctl(owner, "net.ipv4.conf.lo.arp_ignore", "1");
  }

  NodeSlice webSlice(long generation) {
    return new NodeSlice("n1", generation, spec(List.of(dr("ns/web", "198.18.0.100", 80, dest("198.18.0.11", 1))),
        List.of(lo("ns/web", "198.18.0.100"), lo("ns/web", "198.18.0.53")), List.of(arpIgnore("ns/web"))));
  }

  NodeSlice apiSlice(long generation) {
    return new NodeSlice("n1.1", generation, spec(List.of(dr("ns/api", "198.18.0.101", 443, dest("198.18.0.12", 1))),
        List.of(lo("ns/api", "198.18.0.101"), lo("ns/api", "198.18.0.53")), List.of(arpIgnore("ns/api"))));
  }

  @Test
  void theUnionConcatenatesInSliceNameOrderAndRemembersGenerationsAndOwnersPerSlice() {
    SliceUnion u = SliceUnion.of(List.of(apiSlice(5), webSlice(3))); // as an informer may list them

    assertThat(u.slices()).extracting(NodeSlice::name).containsExactly("n1", "n1.1");
    assertThat(u.generations()).containsExactly(java.util.Map.entry("n1", 3L), java.util.Map.entry("n1.1", 5L));
    assertThat(u.owners()).containsEntry("n1", Set.of("ns/web")).containsEntry("n1.1", Set.of("ns/api"));
    assertThat(u.spec().services()).extracting(NodeIpvsService::owner).containsExactly("ns/web", "ns/api");
    assertThat(u.spec().addresses()).hasSize(4);
    assertThat(SliceUnion.of(List.of(webSlice(3), apiSlice(5)))).isEqualTo(u);

    Translation t = translator.translate(u.spec(), u::path);
    assertThat(t.errors()).isEmpty();
    assertThat(t.desired().services()).containsOnlyKeys(web, api);
    assertThat(t.owners()).containsExactly("ns/api", "ns/web");
  }

  @Test
  void anAddressOrSysctlSharedByOwnersInDifferentSlicesIsOneObjectWithBothOwners() {
    SliceUnion u = SliceUnion.of(List.of(webSlice(1), apiSlice(1)));
    Translation t = translator.translate(u.spec(), u::path);

    assertThat(t.desired().conflicts()).isEmpty();
    assertThat(t.desired().addresses().get(new InterfaceAddress("lo", ip("198.18.0.53"), 32)).owners())
        .containsExactly("ns/api", "ns/web");
    assertThat(t.desired().sysctls().get("net.ipv4.conf.lo.arp_ignore").owners()).containsExactly("ns/api", "ns/web");
  }

  @Test
  void anEntryInTwoSlicesIsTakenOnceSoItDoesNotConflictWithItself() {
    // the same owner's service in both slices, as while the operator moves it from one to the other
    NodeSlice moving = new NodeSlice("n1.2", 1, spec(List.of(dr("ns/web", "198.18.0.100", 80, dest("198.18.0.11", 1))),
        List.of(lo("ns/web", "198.18.0.100")), List.of(arpIgnore("ns/web"))));
    SliceUnion u = SliceUnion.of(List.of(webSlice(1), moving));
    Translation t = translator.translate(u.spec(), u::path);

    assertThat(u.spec().services()).hasSize(1);
    assertThat(t.desired().conflicts()).isEmpty();
    assertThat(t.desired().services()).containsOnlyKeys(web);
    assertThat(u.owners()).containsEntry("n1", Set.of("ns/web")).containsEntry("n1.2", Set.of("ns/web"));
  }

  @Test
  void aDeletedSlicesEntriesLeaveTheUnion() {
    SliceUnion both = SliceUnion.of(List.of(webSlice(1), apiSlice(1)));
    SliceUnion left = SliceUnion.of(List.of(webSlice(1)));
    Translation t = translator.translate(left.spec(), left::path);

    assertThat(both.spec().services()).hasSize(2);
    assertThat(t.desired().services()).containsOnlyKeys(web);
    assertThat(t.desired().addresses().keySet()).extracting(a -> a.address().getHostAddress())
        .containsExactlyInAnyOrder("198.18.0.100", "198.18.0.53");
    assertThat(t.desired().addresses().get(new InterfaceAddress("lo", ip("198.18.0.53"), 32)).owners())
        .containsExactly("ns/web");
    assertThat(left.owners()).containsOnlyKeys("n1");
  }

  @Test
  void noSlicesIsAnEmptyTarget() {
    SliceUnion u = SliceUnion.of(List.of());
    Translation t = translator.translate(u.spec(), u::path);

    assertThat(u.slices()).isEmpty();
    assertThat(u.owners()).isEmpty();
    assertThat(t.desired().services()).isEmpty();
    assertThat(t.desired().addresses()).isEmpty();
    assertThat(t.owners()).isEmpty();
    assertThat(SliceUnion.EMPTY).isEqualTo(u);
  }

  @Test
  void anErrorNamesTheEntrysIndexInItsOwnSlice() {
    NodeSlice bad = new NodeSlice("n1.1", 2, spec(List.of(dr("ns/bad", "not-an-ip", 80, dest("198.18.0.12", 1))),
        List.of(lo("ns/bad", "198.18.0.999")), null));
    SliceUnion u = SliceUnion.of(List.of(webSlice(1), bad));
    Translation t = translator.translate(u.spec(), u::path);

    assertThat(t.errorsOf("ns/bad")).hasSize(2)
        .anySatisfy(e -> assertThat(e).startsWith("spec.services[0]: vip"))
        .anySatisfy(e -> assertThat(e).startsWith("spec.addresses[0]: address"));
    assertThat(t.desired().services()).containsOnlyKeys(web);
  }
}
