package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.operator.resolve.Member;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pods (not hostNetwork) as DR / Tunnel real servers. Pure. A member is a pod when it runs on a
 * cluster node but is not that node's own address (a hostNetwork pod or a node member is). Such a
 * member gets its VIP inside its own network namespace (an address entry with {@code podIp}, on lo
 * for DR, tunl0 for Tunnel) on its node, never on the node's lo: the node forwards to the pod.
 *
 * <p>DR needs the director and the real server on one L2 segment. A pod on the VIP holder's own
 * node is (behind the node's bridge or veth); a pod on another node, with the CNIs that route pod
 * traffic between nodes, is not, so it is named in {@link #notL2Neighbours} and the status says so.
 */
final class PodRealServers {
  /** Added to the VIP holder when DR pods are on it: they answer with the VIP, one of its own addresses. */
  static final String ACCEPT_LOCAL = "net.ipv4.conf.all.accept_local";

  private PodRealServers() {}

  static boolean isPod(Member m, NodeView node) {
    return m.node() != null && node != null && node.internalIp() != null
        && !ServiceClaims.canonical(m.address()).equals(ServiceClaims.canonical(node.internalIp()));
  }

  /** The entry that puts {@code vip} inside the pod {@code m} (lo for DR, tunl0 for Tunnel). */
  static NodeAddress entry(String owner, String vip, int prefix, Forwarding fwd, Member m) {
    return new NodeAddress(owner, vip, prefix, fwd == Forwarding.Tunnel ? "tunl0" : "lo", false, null, m.address());
  }

  /**
   * DR pod members that cannot be L2 neighbours of the director forwarding to them (the VIP
   * holder, or any of the directors electing one), by address, with the reason; empty for other
   * modes and while no director may hold the VIP.
   */
  static Map<String, String> notL2Neighbours(Forwarding fwd, List<Member> members, Map<String, NodeView> nodes,
      Set<String> holders) {
    Map<String, String> out = new TreeMap<>();
    if (fwd != Forwarding.DirectRouting || holders.isEmpty()) {
      return out;
    }
    String which = holders.size() == 1 ? "the director " + holders.iterator().next()
        : "any of the directors " + String.join(", ", holders);
    for (Member m : members) {
      NodeView n = nodes.get(m.node());
      if (isPod(m, n) && !holders.contains(m.node())) {
        out.put(m.address(), "pod on node " + m.node() + ", not on " + which
            + ": DirectRouting needs one L2 segment (use Tunnel, or run the pods on the directors)");
      }
    }
    return out;
  }
}
