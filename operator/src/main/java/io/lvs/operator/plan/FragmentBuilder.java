package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.AddressFamily;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.FwmarkMatch;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeLink;
import io.lvs.api.v1alpha1.NodeMark;
import io.lvs.api.v1alpha1.NodeSnat;
import io.lvs.api.v1alpha1.PortRange;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.operator.resolve.Member;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One VirtualService's fragment: what each node must program for it alone.
 *
 * <ul>
 *   <li>directors: the IPVS services and destinations; ip_forward and net.ipv4.vs.conntrack=1 for
 *       NAT/FullNAT; SNAT for FullNAT;
 *   <li>the VIP holder (one director per VIP): the VIP on {@code directors.vipInterface}, else on
 *       the interface holding the holder's InternalIP ({@code interfaceOf}), announced; when the
 *       directors are an HA group, each of them instead gets a candidacy ({@link VipCandidates})
 *       and their agents elect the holder;
 *   <li>DR real-server nodes: the VIP on lo, arp_ignore=1 / arp_announce=2 on all and lo;
 *   <li>Tunnel real-server nodes: tunl0 up with the VIP, the ARP sysctls, rp_filter relaxed.
 *   <li>DR / Tunnel members that are pods: the VIP inside the pod, by its node's agent
 *       ({@link PodRealServers}); DR pods not on a node that may hold the VIP are named in the outcome.
 *   <li>fwmark services: directors get the marking rules of {@code fwmarkMatch}; DR/TUN real
 *       servers get each of its (single) addresses as they would a VIP. Nobody holds or announces
 *       those addresses on the directors: the network routes them there (see docs/modes.md).
 *   <li>in-cluster client nodes: their own clients' NAT service ({@link InClusterClients}).
 * </ul>
 */
final class FragmentBuilder {
  private FragmentBuilder() {}

  static Fragment build(FragmentKey k) {
    Map<String, NodeSpecBuilder> builders = new TreeMap<>();
    Map<String, NodeView> present = new HashMap<>();
    k.memberNodes().forEach(n -> present.put(n.name(), n));
    contribute(k, present, builders);
    Map<String, LvsNodeStateSpec> out = new TreeMap<>();
    builders.forEach((n, b) -> out.put(n, b.build()));
    return new Fragment(out);
  }

  private static void contribute(FragmentKey k, Map<String, NodeView> nodes, Map<String, NodeSpecBuilder> builders) {
    ServiceInput s = k.service();
    VirtualServiceSpec spec = s.spec();
    String owner = s.key();
    AddressFamily family = ServiceClaims.family(spec);
    boolean v6 = family == AddressFamily.IPv6;
    List<Member> members = s.members().stream().filter(m -> m.address().contains(":") == v6).toList();
    List<NodeIpvsService> ipvs = IpvsServices.of(s, members, family);
    List<NodeMark> marks = marks(owner, spec);
    for (NodeView d : k.directors()) {
      director(builders.computeIfAbsent(d.name(), NodeSpecBuilder::new), owner, spec, d, ipvs, marks);
    }
    int prefix = v6 ? 128 : 32;
    List<String> vips;
    if (spec.vip() == null) {
      // fwmark: the VIPs are fwmarkMatch's addresses; validation allows only single ones with DR/TUN
      vips = marks.stream().filter(m -> m.prefixLength() == prefix).map(NodeMark::address).distinct().toList();
    } else {
      vips = List.of(spec.vip());
      if (k.ha() != null) {
        for (NodeView c : k.ha().candidates()) {
          builders.computeIfAbsent(c.name(), NodeSpecBuilder::new).vipCandidate(VipCandidates.of(owner, spec, prefix, c, k.ha()));
        }
      } else if (k.holder() != null) {
        builders.computeIfAbsent(k.holder(), NodeSpecBuilder::new).address(holderAddress(owner, spec, prefix, k.holderIp()));
      }
    }
    for (NodeView c : k.clientNodes()) {
      InClusterClients.contribute(builders.computeIfAbsent(c.name(), NodeSpecBuilder::new), s, members, c);
    }
    Forwarding fwd = spec.forwarding();
    if (fwd == Forwarding.DirectRouting || fwd == Forwarding.Tunnel) {
      Set<String> rsNodes = new LinkedHashSet<>();
      Set<String> vipNodes = k.vipNodes(); // may hold the VIP itself: never a real server's lo copy of it
      for (Member m : members) {
        if (PodRealServers.isPod(m, nodes.get(m.node()))) {
          podRealServer(builders, owner, vips, prefix, fwd, v6, m, vipNodes);
        } else if (m.node() != null && nodes.containsKey(m.node()) && !vipNodes.contains(m.node())) {
          rsNodes.add(m.node());
        }
      }
      for (String n : rsNodes) {
        for (String vip : vips) {
          realServer(builders.computeIfAbsent(n, NodeSpecBuilder::new), owner, vip, prefix, fwd, v6);
        }
      }
    }
  }

  /**
   * A pod member: the VIPs go into the pod's own namespace (found by its node's agent,
   * docs/in-cluster.md), never onto its node's lo. A DR pod on the holder answers with the VIP as
   * source, an address of that very node, which the holder accepts only with accept_local.
   */
  private static void podRealServer(Map<String, NodeSpecBuilder> builders, String owner, List<String> vips, int prefix,
      Forwarding fwd, boolean v6, Member m, Set<String> vipNodes) {
    NodeSpecBuilder b = builders.computeIfAbsent(m.node(), NodeSpecBuilder::new);
    vips.forEach(vip -> b.address(PodRealServers.entry(owner, vip, prefix, fwd, m)));
    if (fwd == Forwarding.DirectRouting && !v6 && vipNodes.contains(m.node())) {
      b.sysctl(owner, PodRealServers.ACCEPT_LOCAL, "1");
    }
  }

  /** One director's part: the IPVS services, the marks, forwarding sysctls and FullNAT's SNAT. */
  private static void director(NodeSpecBuilder b, String owner, VirtualServiceSpec spec, NodeView d,
      List<NodeIpvsService> ipvs, List<NodeMark> marks) {
    Forwarding fwd = spec.forwarding();
    boolean v6 = ServiceClaims.family(spec) == AddressFamily.IPv6;
    ipvs.forEach(b::service);
    marks.forEach(b::mark);
    if (fwd == Forwarding.NAT || fwd == Forwarding.FullNAT) {
      b.sysctl(owner, v6 ? Sysctls.IPV6_FORWARDING : Sysctls.IP_FORWARD, "1");
      // conntrack entries for IPVS's connections: without them a real server's reply matches no
      // entry and netfilter calls it INVALID, which kube-proxy's KUBE-FORWARD chain (and firewalld,
      // Docker) drop; kube-proxy's IPVS mode sets it for the same reason (the cluster lane's NAT
      // scenario failed every request until it was set)
      b.sysctl(owner, Sysctls.VS_CONNTRACK, "1");
    }
    if (fwd == Forwarding.NAT && !v6) {
      // seed 003: a one-armed director (clients and real servers on one segment) would answer a
      // real server's reply with an ICMP redirect to the client, and the real server would then
      // send the rest of the connection around the un-NAT. The kernel sends redirects when
      // "all" or the interface says so, hence both.
      b.sysctl(owner, Sysctls.ALL_SEND_REDIRECTS, "0");
      String iface = spec.directors().vipInterface();
      if (iface != null && !iface.isBlank()) {
        b.sysctl(owner, Sysctls.sendRedirects(iface), "0");
      }
    }
    if (fwd == Forwarding.FullNAT && d.internalIp() != null) {
      for (NodeIpvsService svc : ipvs) {
        List<String> rs = svc.destinations().stream().map(NodeDestination::address).distinct().sorted().toList();
        Set<Integer> ports = svc.destinations().stream().map(NodeDestination::port).collect(Collectors.toSet());
        Integer port = ports.size() == 1 ? ports.iterator().next() : null;
        if (!rs.isEmpty()) {
          b.snat(new NodeSnat(owner, svc.protocol(), rs, port, d.internalIp()));
        }
      }
    }
  }

  /**
   * The VIP on the holder: on {@code directors.vipInterface} when set, else on the interface that
   * holds the holder's InternalIP ({@code interfaceOf}, resolved by the agent from its kernel's
   * addresses). A holder without an InternalIP gets neither, and its agent puts the VIP on lo as
   * before (a Node without InternalIP is not something kubelet writes; the VIP there still answers
   * ARP under the default arp_ignore=0, but its gratuitous ARP goes nowhere).
   */
  static NodeAddress holderAddress(String owner, VirtualServiceSpec spec, int prefix, String holderIp) {
    String iface = spec.directors() == null ? null : spec.directors().vipInterface();
    if (iface != null && !iface.isBlank()) {
      return new NodeAddress(owner, spec.vip(), prefix, iface, true);
    }
    return new NodeAddress(owner, spec.vip(), prefix, null, true, holderIp);
  }

  private static void realServer(
      NodeSpecBuilder b, String owner, String vip, int prefix, Forwarding fwd, boolean v6) {
    String iface = fwd == Forwarding.Tunnel ? "tunl0" : "lo";
    if (fwd == Forwarding.Tunnel) {
      b.link(new NodeLink(owner, "tunl0", v6 ? "ip6tnl" : "ipip"));
      if (!v6) {
        b.sysctl(owner, Sysctls.rpFilter("tunl0"), "0");
        b.sysctl(owner, Sysctls.ALL_RP_FILTER, "0");
      }
    }
    b.address(new NodeAddress(owner, vip, prefix, iface, false));
    if (!v6) {
      // The seeds' DR recipe: answer ARP only for addresses on the asking interface, announce
      // with the best local address, so the VIP on lo / tunl0 stays the director's on the wire.
      for (String i : List.of("all", iface)) {
        b.sysctl(owner, Sysctls.arpIgnore(i), "1");
        b.sysctl(owner, Sysctls.arpAnnounce(i), "2");
      }
    }
  }

  /**
   * The marking rules of a fwmark service: one per address, protocol and port range of
   * {@code fwmarkMatch} (no ports: one rule for every port). Addresses are canonical, host bits of a
   * CIDR cleared, so "198.18.4.7/24" and "198.18.4.0/24" are one rule.
   */
  static List<NodeMark> marks(String owner, VirtualServiceSpec spec) {
    if (spec.fwmark() == null || spec.fwmarkMatch() == null) {
      return List.of();
    }
    Set<NodeMark> out = new LinkedHashSet<>();
    for (FwmarkMatch m : spec.fwmarkMatch()) {
      String[] parts = m.address().split("/", 2);
      boolean v6 = parts[0].contains(":");
      int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : (v6 ? 128 : 32);
      String network = ServiceClaims.network(parts[0], prefix);
      Protocol proto = m.protocol() == null ? Protocol.TCP : m.protocol();
      if (m.ports() == null) {
        out.add(new NodeMark(owner, spec.fwmark(), network, prefix, proto, null, null));
        continue;
      }
      for (PortRange r : m.ports()) {
        Integer end = r.endPort() == null || r.endPort().equals(r.port()) ? null : r.endPort();
        out.add(new NodeMark(owner, spec.fwmark(), network, prefix, proto, r.port(), end));
      }
    }
    return List.copyOf(out);
  }
}
