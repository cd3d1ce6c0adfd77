package io.lvs.operator.plan;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything one VirtualService's fragment depends on: its input, its directors, its VIP's holder
 * (null while none) and that holder's InternalIP, the existing nodes among its members' nodes, the
 * nodes that serve their own clients ({@link InClusterClients}), and, when its VIP's directors
 * elect the holder themselves, that election (else null; then {@code holder} is null too).
 */
record FragmentKey(
    ServiceInput service, List<NodeView> directors, String holder, String holderIp, List<NodeView> memberNodes,
    List<NodeView> clientNodes, HaVip ha) {

  /**
   * The nodes that may hold the VIP: the holder, or every candidate of the election; none while
   * nobody may (by name).
   */
  Set<String> vipNodes() {
    if (ha != null) {
      Set<String> out = new TreeSet<>();
      ha.candidates().forEach(n -> out.add(n.name()));
      return out;
    }
    return holder == null ? Set.of() : Set.of(holder);
  }
}
