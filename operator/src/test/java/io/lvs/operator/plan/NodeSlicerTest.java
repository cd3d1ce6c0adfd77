package io.lvs.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.api.slices.SpecOwners;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.Protocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NodeSlicerTest {
  /** Owner "ns/vsI": one service with {@code dests} destinations, a VIP address and one sysctl (cost dests + 3). */
  private static LvsNodeStateSpec spec(String node, Map<Integer, Integer> ownersAndDests) {
    List<NodeIpvsService> services = new ArrayList<>();
    List<NodeAddress> addresses = new ArrayList<>();
    List<NodeSysctl> sysctls = new ArrayList<>();
    ownersAndDests.forEach((i, dests) -> {
      String owner = String.format("ns/vs%02d", i);
      List<NodeDestination> d = IntStream.range(0, dests)
          .mapToObj(k -> new NodeDestination("198.18.1." + k, 80, 1, Forwarding.DirectRouting, null, null, null, null))
          .toList();
      services.add(new NodeIpvsService(owner, "198.19.0." + i, 80, Protocol.TCP, null, null, "rr", null, null, null, d, null));
      addresses.add(new NodeAddress(owner, "198.19.0." + i, 32, "eth0", true));
      sysctls.add(new NodeSysctl(owner, "net.ipv4.vs.conntrack", "1"));
    });
    return new LvsNodeStateSpec(node, services, addresses, List.of(), sysctls, List.of());
  }

  /** The same node state as one part per owner, in owner order, as the planner hands it over. */
  private static List<LvsNodeStateSpec> parts(String node, Map<Integer, Integer> ownersAndDests) {
    return new java.util.TreeMap<>(ownersAndDests).entrySet().stream()
        .map(e -> spec(node, Map.of(e.getKey(), e.getValue()))).toList();
  }

  private static Map<Integer, Integer> owners(int count, int dests) {
    Map<Integer, Integer> m = new HashMap<>();
    for (int i = 0; i < count; i++) {
      m.put(i, dests);
    }
    return m;
  }

  private static Map<String, Set<String>> ownersPerSlice(NodeSlicer.Slicing s) {
    Map<String, Set<String>> out = new HashMap<>();
    s.slices().forEach((name, parts) -> out.put(name, SpecOwners.of(NodeSlicer.build("w1", parts))));
    return out;
  }

  @Test
  void aSmallNodeIsOneSliceNamedAfterIt() {
    var s = new NodeSlicer(256).slice("w1", parts("w1", owners(3, 2)), Map.of(), n -> false);
    assertThat(s.slices()).containsOnlyKeys("w1");
    assertThat(NodeSlicer.build("w1", s.slices().get("w1"))).isEqualTo(spec("w1", owners(3, 2)));
    assertThat(s.sliceOfOwner()).containsOnlyKeys("ns/vs00", "ns/vs01", "ns/vs02").containsValue("w1");
  }

  @Test
  void ownersArePackedUpToTheLimitAndNeverSplit() {
    // each owner costs 5 + 3 = 8; limit 20 -> two owners per slice
    var s = new NodeSlicer(20).slice("w1", parts("w1", owners(5, 5)), Map.of(), n -> false);
    assertThat(s.slices()).containsOnlyKeys("w1", "w1.1", "w1.2");
    assertThat(ownersPerSlice(s)).containsEntry("w1", Set.of("ns/vs00", "ns/vs01"))
        .containsEntry("w1.1", Set.of("ns/vs02", "ns/vs03")).containsEntry("w1.2", Set.of("ns/vs04"));
    s.slices().values().forEach(parts -> parts.forEach(p -> assertThat(p.nodeName()).isEqualTo("w1")));
    // an owner bigger than the limit gets a slice of its own rather than being cut
    var big = new NodeSlicer(4).slice("w1", parts("w1", Map.of(0, 10, 1, 10)), Map.of(), n -> false);
    assertThat(ownersPerSlice(big)).containsEntry("w1", Set.of("ns/vs00")).containsEntry("w1.1", Set.of("ns/vs01"));
  }

  @Test
  void ownersStayWhereTheyAreNewOnesFillRoomAndAGrownOwnerIsNotMoved() {
    NodeSlicer slicer = new NodeSlicer(20);
    // today: vs03 alone in w1, vs00 + vs01 in w1.1 (an order the slicer would not choose itself)
    Map<String, Set<String>> existing = Map.of("w1", Set.of("ns/vs03"), "w1.1", Set.of("ns/vs00", "ns/vs01"));
    Map<Integer, Integer> want = new HashMap<>(Map.of(0, 5, 1, 30, 3, 5, 4, 5)); // vs01 grew past the limit; vs04 new; vs02 absent
    var s = slicer.slice("w1", parts("w1", want), existing, n -> false);
    assertThat(ownersPerSlice(s)).containsEntry("w1", Set.of("ns/vs03", "ns/vs04"))
        .containsEntry("w1.1", Set.of("ns/vs00", "ns/vs01")).hasSize(2);
    // a slice left with nothing is still returned, empty (the diff empties or removes it)
    var emptied = slicer.slice("w1", parts("w1", Map.of(3, 5)), existing, n -> false);
    assertThat(emptied.slices().get("w1.1")).isEmpty();
    assertThat(emptied.sliceOfOwner()).containsOnly(Map.entry("ns/vs03", "w1"));
  }

  @Test
  void newSlicesAvoidNamesInUseAndTheResultIsStable() {
    NodeSlicer slicer = new NodeSlicer(8);
    var s = slicer.slice("w1", parts("w1", owners(3, 5)), Map.of(), n -> n.equals("w1.1"));
    assertThat(s.slices()).containsOnlyKeys("w1", "w1.2", "w1.3");
    var again = slicer.slice("w1", parts("w1", owners(3, 5)), Map.of(), n -> n.equals("w1.1"));
    assertThat(again).isEqualTo(s);
    // slices sort by index, not as strings: w1.10 comes after w1.9
    Map<String, Set<String>> existing = new HashMap<>();
    for (int i = 1; i <= 10; i++) {
      existing.put("w1." + i, Set.of());
    }
    var order = slicer.slice("w1", parts("w1", owners(1, 1)), existing, n -> false);
    assertThat(order.slices().keySet()).startsWith("w1.1", "w1.2").endsWith("w1.10");
    assertThat(order.sliceOfOwner()).containsEntry("ns/vs00", "w1.1");
  }

  @Test
  void partsHoldOneOwnerEach() {
    List<LvsNodeStateSpec> parts = parts("w1", owners(3, 2));
    assertThat(parts).hasSize(3).allSatisfy(p -> assertThat(SpecOwners.of(p)).hasSize(1));
    assertThat(NodeSlicer.build("w1", parts)).isEqualTo(spec("w1", owners(3, 2)));
    assertThatThrownBy(() -> new NodeSlicer(8).slice("w1", List.of(spec("w1", owners(2, 1))), Map.of(), n -> false))
        .hasMessageContaining("one owner");
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> new NodeSlicer(0)).hasMessageContaining("maxEntries").hasMessageContaining("0");
  }
}
