package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.InClusterAccess;
import io.lvs.api.v1alpha1.InClusterNodes;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeInCluster;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.operator.resolve.Member;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * In-cluster access (docs/in-cluster.md): the nodes whose own clients a VirtualService serves, and
 * what each of them programs for it — per port an IPVS service towards the members in NAT (the
 * local service is NAT whatever the VirtualService's mode: the node is its own clients' director,
 * and NAT is the mode whose replies come back to it on any network), marked {@code inCluster} so
 * the agent feeds it with locally originated traffic only; and net.ipv4.vs.conntrack=1, which
 * lets netfilter source-NAT IPVS's connections to the node's address.
 */
final class InClusterClients {
  private InClusterClients() {}

  /**
   * The nodes that serve their own clients, by name: all, or those whose labels include the
   * selector; none when in-cluster access is absent or None. A node without an InternalIP is left
   * out: its agent could not tell its uplink from its pods' interfaces.
   */
  static List<NodeView> nodes(VirtualServiceSpec spec, Collection<NodeView> all) {
    InClusterAccess a = spec.inClusterAccess();
    if (a == null || a.nodes() == null || a.nodes() == InClusterNodes.None || spec.vip() == null) {
      return List.of();
    }
    Map<String, String> selector = a.nodes() == InClusterNodes.Selected ? a.nodeSelector() : Map.of();
    if (selector == null || (a.nodes() == InClusterNodes.Selected && selector.isEmpty())) {
      return List.of(); // validation refuses it; an empty selector selects nothing, as for directors
    }
    return all.stream()
        .filter(n -> n.internalIp() != null && n.labels().entrySet().containsAll(selector.entrySet()))
        .sorted(java.util.Comparator.comparing(NodeView::name))
        .toList();
  }

  /** One client node's services for a VirtualService: its IPv4 members, NAT. */
  static void contribute(NodeSpecBuilder b, ServiceInput s, List<Member> members, NodeView node) {
    VirtualServiceSpec spec = s.spec();
    String scheduler = spec.scheduler() == null ? IpvsServices.DEFAULT_SCHEDULER : spec.scheduler().name();
    Integer timeout = spec.persistence() == null ? null : spec.persistence().timeoutSeconds();
    Integer netmask = spec.persistence() == null ? null : spec.persistence().netmaskPrefixLength();
    NodeInCluster marker = new NodeInCluster(node.internalIp());
    for (ServicePort p : spec.ports()) {
      b.service(new NodeIpvsService(s.key(), spec.vip(), p.port(), ServiceClaims.protocol(p), null, null, scheduler,
          IpvsServices.flags(spec), timeout, netmask, destinations(s, members, p), null, marker));
    }
    b.sysctl(s.key(), Sysctls.VS_CONNTRACK, "1");
    b.sysctl(s.key(), Sysctls.IP_FORWARD, "1"); // the replies to the node's pods are forwarded
  }

  /**
   * The members as NAT destinations, at the port a director would send them to (DR and Tunnel
   * cannot rewrite ports, so theirs is the service port). No health check here: the directors
   * check, each client node would multiply the probes by the number of nodes.
   */
  private static List<NodeDestination> destinations(ServiceInput s, List<Member> members, ServicePort p) {
    Map<String, NodeDestination> out = new TreeMap<>();
    for (Member m : members) {
      int port = IpvsServices.destinationPort(s.spec(), p, m);
      NodeDestination d = new NodeDestination(m.address(), port, m.effectiveWeight(), Forwarding.NAT, null,
          s.upperThreshold(), s.lowerThreshold(), m.draining() ? Boolean.TRUE : null);
      out.merge(m.address() + "#" + port, d, (a, c) -> Boolean.TRUE.equals(a.draining()) ? c : a);
    }
    return List.copyOf(out.values());
  }
}
