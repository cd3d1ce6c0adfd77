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
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.PortRange;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.SchedulerFlag;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.operator.resolve.Member;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every VirtualService, its resolved members and the nodes in,
 * one LvsNodeState spec per node out. A node's spec holds exactly what it must program:
 *
 * <ul>
 *   <li>directors: the IPVS services and destinations; ip_forward for NAT/FullNAT; SNAT and
 *       net.ipv4.vs.conntrack=1 for FullNAT;
 *   <li>the VIP holder (one director per VIP): the VIP on {@code directors.vipInterface}, else on
 *       the interface holding the holder's InternalIP ({@code interfaceOf}), announced;
 *   <li>DR real-server nodes: the VIP on lo, arp_ignore=1 / arp_announce=2 on all and lo;
 *   <li>Tunnel real-server nodes: tunl0 up with the VIP, the ARP sysctls, rp_filter relaxed.
 *   <li>DR / Tunnel members that are pods: the VIP inside the pod, by its node's agent
 *       ({@link PodRealServers}); DR pods not on the VIP holder are named in the outcome.
 *   <li>fwmark services: directors get the marking rules of {@code fwmarkMatch}; DR/TUN real
 *       servers get each of its (single) addresses as they would a VIP. Nobody holds or announces
 *       those addresses on the directors: the network routes them there (see docs/modes.md).
 * </ul>
 *
 * <p>VIP handover is fenced ({@link VipFence}): while the VIP's Lease names another director
 * than the chosen one, this plan gives the VIP to nobody.
 *
 * <p>Pure in its output: the same inputs give the same plan. It keeps memos of the previous plan
 * (one caller thread at a time, hence synchronized); {@code NodeStateSyncDifferentialTest} proves
 * them against a fresh planner on every step.
 */
public final class NodeStatePlanner {
  static final String DEFAULT_SCHEDULER = "wlc";
  static final String DEFAULT_TUNNEL = "ipip";
  /** The agent's word for IP_VS_SVC_F_ONEPACKET (ipvsadm -o). */
  static final String ONE_PACKET = "one-packet";

  /**
   * Fragments of the previous plan by everything they depend on. A memo, not state: the output is
   * the same with or without it; it spares re-deriving 2,000 unchanged VirtualServices when one
   * changes. Used from one thread at a time (the sync), hence the synchronized plan.
   */
  private Map<String, Known> previous = new HashMap<>();

  /**
   * Per node, the current part of every owner on it (owner order) and the spec merged from them:
   * only nodes where a part came, went or changed are merged again, and the others keep the very
   * same spec object, so the caller can tell "unchanged" without comparing 3,000 entries.
   */
  private Map<String, TreeMap<String, LvsNodeStateSpec>> nodeParts = new HashMap<>();
  private Map<String, Merged> nodeMerged = new HashMap<>();

  /**
   * What the previous plan decided across VirtualServices, and from what; while its nodes are
   * equal to this plan's, an unchanged input also has unchanged member nodes.
   */
  private Global previousGlobal;

  /**
   * Conflicts, directors and VIP holders: they depend on every VirtualService's spec, the nodes and
   * the leases, not on members, so a members-only change reuses them.
   */
  private record Global(List<ServiceInput> inputs, Map<String, NodeView> nodes, Map<String, String> leases,
      Map<String, String> losers, List<String> byKey, Map<String, List<NodeView>> directors,
      Map<String, String> chosen) {}

  public synchronized ClusterPlan plan(
      List<ServiceInput> services, Collection<NodeView> nodes, Map<String, String> leaseHolders) {
    try {
      return planIncrementally(services, nodes, leaseHolders);
    } catch (RuntimeException e) {
      // the memos may be half updated: forget them, the next plan starts afresh
      previous = new HashMap<>();
      nodeParts = new HashMap<>();
      nodeMerged = new HashMap<>();
      previousGlobal = null;
      throw e;
    }
  }

  private ClusterPlan planIncrementally(
      List<ServiceInput> services, Collection<NodeView> nodes, Map<String, String> leaseHolders) {
    Map<String, NodeView> byName =
        nodes.stream().collect(Collectors.toMap(NodeView::name, Function.identity(), (a, b) -> a, TreeMap::new));
    boolean sameNodes = previousGlobal != null && byName.equals(previousGlobal.nodes());
    Global g = sameNodes && previousGlobal.leases().equals(leaseHolders)
        && sameShapes(previousGlobal.inputs(), services)
        ? previousGlobal
        : global(services, byName, leaseHolders);
    previousGlobal = new Global(services, byName, Map.copyOf(leaseHolders), g.losers(), g.byKey(), g.directors(),
        g.chosen());

    Map<String, ClusterPlan.Outcome> outcomes = new TreeMap<>();
    Map<String, Known> memo = new HashMap<>();
    Set<String> affected = new java.util.HashSet<>();
    Map<String, ServiceInput> current = new HashMap<>();
    services.forEach(s -> current.put(s.key(), s));
    for (String key : g.byKey()) {
      ServiceInput s = current.get(key); // this plan's input: only its spec is known to be unchanged
      String vip = s.spec().vip() == null ? null : ServiceClaims.canonical(s.spec().vip());
      String holder = null;
      if (vip != null && g.chosen().containsKey(vip)) {
        holder = VipFence.granted(g.chosen().get(vip), leaseHolders.get(vip));
      }
      List<NodeView> ds = g.directors().get(s.key());
      // the holder is a director of this VirtualService or, when those sharing its VIP share none,
      // of the oldest of them: its InternalIP (where the VIP goes by default) comes from all nodes
      NodeView holderNode = holder == null ? null : byName.get(holder);
      String holderIp = holderNode == null ? null : holderNode.internalIp();
      Known known = previous.get(s.key());
      // the same input object (the sync keeps it while nothing it came from changed) on the same
      // nodes: its member nodes are the same too, and nothing needs a deep compare
      boolean sameObject = known != null && known.key().service() == s && sameNodes;
      List<NodeView> present = sameObject ? known.key().memberNodes() : memberNodes(s, byName);
      boolean same = known != null && (known.key().service() == s || known.key().service().equals(s))
          && known.key().directors().equals(ds) && java.util.Objects.equals(known.key().holder(), holder)
          && java.util.Objects.equals(known.key().holderIp(), holderIp)
          && known.key().memberNodes().equals(present);
      Known now;
      if (!same) {
        now = known(new FragmentKey(s, ds, holder, holderIp, present));
        replaceParts(s.key(), known, now, affected);
      } else if (known.key().service() != s) {
        // equal, not identical: remember this input object, so the next plan knows it at a glance
        now = new Known(new FragmentKey(s, ds, holder, holderIp, present), known.fragment(), known.outcome());
      } else {
        now = known;
      }
      memo.put(s.key(), now);
      outcomes.put(s.key(), now.outcome());
    }
    for (Map.Entry<String, Known> gone : previous.entrySet()) {
      if (!memo.containsKey(gone.getKey())) {
        replaceParts(gone.getKey(), gone.getValue(), null, affected); // deleted, invalid or lost a conflict
      }
    }
    previous = memo; // only what this plan used: the memo cannot grow without bound
    g.losers().forEach((k, msg) -> outcomes.put(k, new ClusterPlan.Outcome(msg, List.of(), null, Set.of())));
    for (String n : affected) {
      TreeMap<String, LvsNodeStateSpec> parts = nodeParts.get(n);
      if (parts == null || parts.isEmpty()) {
        nodeParts.remove(n);
        nodeMerged.remove(n);
      } else {
        List<LvsNodeStateSpec> list = List.copyOf(parts.values());
        nodeMerged.put(n, new Merged(list, NodeSlicer.build(n, list)));
      }
    }
    Map<String, LvsNodeStateSpec> specs = new TreeMap<>();
    Map<String, List<LvsNodeStateSpec>> parts = new TreeMap<>();
    nodeMerged.forEach((n, m) -> {
      specs.put(n, m.spec());
      parts.put(n, m.parts());
    });
    return new ClusterPlan(specs, parts, outcomes, g.chosen());
  }

  /**
   * Moves one owner's parts from its old fragment's nodes to its new one's (null: gone). A node
   * whose part for this owner is equal to before is not touched: one member's weight changes the
   * directors' part, not the parts of the 20 real-server nodes, and only changed nodes are merged
   * (and sliced and compared) again.
   */
  private void replaceParts(String owner, Known before, Known after, Set<String> affected) {
    Map<String, LvsNodeStateSpec> was = before == null ? Map.of() : before.fragment().nodes();
    Map<String, LvsNodeStateSpec> now = after == null ? Map.of() : after.fragment().nodes();
    for (String n : was.keySet()) {
      if (!now.containsKey(n)) {
        TreeMap<String, LvsNodeStateSpec> m = nodeParts.get(n);
        if (m != null) {
          m.remove(owner);
        }
        affected.add(n);
      }
    }
    now.forEach((n, part) -> {
      LvsNodeStateSpec old = was.get(n);
      TreeMap<String, LvsNodeStateSpec> m = nodeParts.computeIfAbsent(n, k -> new TreeMap<>());
      if (old != null && old.equals(part) && m.containsKey(owner)) {
        return; // the node keeps the equal part it has
      }
      m.put(owner, part);
      affected.add(n);
    });
  }

  /** The same VirtualServices in the same order with the same specs (members may differ). */
  private static boolean sameShapes(List<ServiceInput> before, List<ServiceInput> now) {
    if (before.size() != now.size()) {
      return false;
    }
    for (int i = 0; i < now.size(); i++) {
      ServiceInput a = before.get(i);
      ServiceInput b = now.get(i);
      if (a == b) {
        continue;
      }
      if (!a.key().equals(b.key()) || a.active() != b.active() || !a.created().equals(b.created())
          || (a.spec() != b.spec() && !java.util.Objects.equals(a.spec(), b.spec()))) {
        return false;
      }
    }
    return true;
  }

  private static Global global(List<ServiceInput> services, Map<String, NodeView> byName, Map<String, String> leaseHolders) {
    Map<String, String> losers = ConflictResolver.losers(services);
    List<ServiceInput> winners =
        services.stream()
            .filter(s -> s.active() && !losers.containsKey(s.key()))
            .sorted(Comparator.comparing(ServiceInput::created).thenComparing(ServiceInput::key))
            .toList();
    Map<String, List<NodeView>> directors = new HashMap<>();
    Map<io.lvs.api.v1alpha1.Directors, List<NodeView>> bySelector = new HashMap<>(); // VirtualServices share selectors
    for (ServiceInput s : winners) {
      io.lvs.api.v1alpha1.Directors d = s.spec().directors();
      directors.put(s.key(), d == null ? List.of() : bySelector.computeIfAbsent(d, x -> DirectorSelector.select(x, byName.values())));
    }
    Map<String, String> chosen = chooseHolders(winners, directors, leaseHolders);
    // by key, so concatenating per-owner fragments gives lists ordered by owner, as one sort would
    List<String> byKey = winners.stream().map(ServiceInput::key).sorted().toList();
    return new Global(services, byName, leaseHolders, losers, byKey, directors, chosen);
  }

  /** Everything one VirtualService's contribution depends on. */
  private record FragmentKey(
      ServiceInput service, List<NodeView> directors, String holder, String holderIp, List<NodeView> memberNodes) {}

  /** A VirtualService's last fragment and outcome, and what they were made from. */
  private record Known(FragmentKey key, Fragment fragment, ClusterPlan.Outcome outcome) {}

  private static Known known(FragmentKey k) {
    Fragment f = fragment(k);
    Map<String, NodeView> present = new HashMap<>();
    k.memberNodes().forEach(n -> present.put(n.name(), n));
    return new Known(k, f, new ClusterPlan.Outcome(null, k.directors().stream().map(NodeView::name).toList(), k.holder(),
        f.nodes().keySet(), PodRealServers.notL2Neighbours(k.service().spec().forwarding(), k.service().members(), present,
            k.holder())));
  }

  /** The nodes that exist among the members' nodes, by name. */
  private static List<NodeView> memberNodes(ServiceInput s, Map<String, NodeView> byName) {
    Set<String> names = new TreeSet<>();
    for (Member m : s.members()) {
      if (m.node() != null && byName.containsKey(m.node())) {
        names.add(m.node());
      }
    }
    return names.stream().map(byName::get).toList();
  }

  /** One VirtualService's entries, per node (each spec holds that owner's entries only, sorted). */
  private record Fragment(Map<String, LvsNodeStateSpec> nodes) {}

  private static Fragment fragment(FragmentKey k) {
    Map<String, NodeSpecBuilder> builders = new TreeMap<>();
    Map<String, NodeView> present = new HashMap<>();
    k.memberNodes().forEach(n -> present.put(n.name(), n));
    contribute(k.service(), k.directors(), k.holder(), k.holderIp(), present, builders);
    Map<String, LvsNodeStateSpec> out = new TreeMap<>();
    builders.forEach((n, b) -> out.put(n, b.build()));
    return new Fragment(out);
  }

  /** A node's parts (owner order) and the spec merged from them. */
  private record Merged(List<LvsNodeStateSpec> parts, LvsNodeStateSpec spec) {}

  /**
   * Per VIP, the director that should hold it: the current lease holder while it stays eligible
   * (no flapping when a node joins), else the first eligible by name. Eligible: a director of every
   * VirtualService on that VIP, or, when they share none, of the oldest one.
   */
  private static Map<String, String> chooseHolders(
      List<ServiceInput> winners, Map<String, List<NodeView>> directors, Map<String, String> leases) {
    Map<String, List<ServiceInput>> byVip = new TreeMap<>();
    for (ServiceInput s : winners) {
      if (s.spec().vip() != null) {
        byVip.computeIfAbsent(ServiceClaims.canonical(s.spec().vip()), v -> new ArrayList<>()).add(s);
      }
    }
    Map<String, String> out = new TreeMap<>();
    byVip.forEach(
        (vip, list) -> {
          Set<String> eligible = names(directors.get(list.get(0).key()));
          Set<String> common = new LinkedHashSet<>(eligible);
          list.forEach(s -> common.retainAll(names(directors.get(s.key()))));
          Set<String> pool = common.isEmpty() ? eligible : common;
          String lease = leases.get(vip);
          String pick = lease != null && pool.contains(lease) ? lease : pool.stream().findFirst().orElse(null);
          if (pick != null) {
            out.put(vip, pick);
          }
        });
    return out;
  }

  private static Set<String> names(List<NodeView> nodes) {
    Set<String> out = new LinkedHashSet<>();
    nodes.forEach(n -> out.add(n.name()));
    return out;
  }

  private static Set<String> contribute(
      ServiceInput s,
      List<NodeView> directors,
      String holder,
      String holderIp,
      Map<String, NodeView> nodes,
      Map<String, NodeSpecBuilder> builders) {
    VirtualServiceSpec spec = s.spec();
    String owner = s.key();
    AddressFamily family = ServiceClaims.family(spec);
    boolean v6 = family == AddressFamily.IPv6;
    List<Member> members = s.members().stream().filter(m -> m.address().contains(":") == v6).toList();
    Forwarding fwd = spec.forwarding();
    boolean nat = fwd == Forwarding.NAT || fwd == Forwarding.FullNAT;
    Set<String> touched = new LinkedHashSet<>();
    List<NodeIpvsService> ipvs = ipvsServices(s, members, family);
    List<NodeMark> marks = marks(owner, spec);
    for (NodeView d : directors) {
      NodeSpecBuilder b = builders.computeIfAbsent(d.name(), NodeSpecBuilder::new);
      touched.add(d.name());
      ipvs.forEach(b::service);
      marks.forEach(b::mark);
      if (nat) {
        b.sysctl(owner, v6 ? Sysctls.IPV6_FORWARDING : Sysctls.IP_FORWARD, "1");
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
        b.sysctl(owner, Sysctls.VS_CONNTRACK, "1");
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
    int prefix = v6 ? 128 : 32;
    List<String> vips;
    if (spec.vip() == null) {
      // fwmark: the VIPs are fwmarkMatch's addresses; validation allows only single ones with DR/TUN
      vips = marks.stream().filter(m -> m.prefixLength() == prefix).map(NodeMark::address).distinct().toList();
    } else {
      vips = List.of(spec.vip());
      if (holder != null) {
        builders.computeIfAbsent(holder, NodeSpecBuilder::new).address(holderAddress(owner, spec, prefix, holderIp));
        touched.add(holder);
      }
    }
    if (fwd == Forwarding.DirectRouting || fwd == Forwarding.Tunnel) {
      Set<String> rsNodes = new LinkedHashSet<>();
      for (Member m : members) {
        if (PodRealServers.isPod(m, nodes.get(m.node()))) {
          // the VIP goes into the pod's own namespace, found by its agent (docs/in-cluster.md)
          NodeSpecBuilder b = builders.computeIfAbsent(m.node(), NodeSpecBuilder::new);
          vips.forEach(vip -> b.address(PodRealServers.entry(owner, vip, prefix, fwd, m)));
          touched.add(m.node());
          if (fwd == Forwarding.DirectRouting && !v6 && m.node().equals(holder)) {
            // the pod answers with the VIP as source, an address of this very node: accepted only so
            builders.computeIfAbsent(holder, NodeSpecBuilder::new).sysctl(owner, PodRealServers.ACCEPT_LOCAL, "1");
          }
        } else if (m.node() != null && nodes.containsKey(m.node()) && !m.node().equals(holder)) {
          rsNodes.add(m.node());
        }
      }
      for (String n : rsNodes) {
        for (String vip : vips) {
          realServer(builders.computeIfAbsent(n, NodeSpecBuilder::new), owner, vip, prefix, fwd, v6);
        }
        touched.add(n);
      }
    }
    return touched;
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

  private static List<NodeIpvsService> ipvsServices(ServiceInput s, List<Member> members, AddressFamily family) {
    VirtualServiceSpec spec = s.spec();
    String scheduler = spec.scheduler() == null ? DEFAULT_SCHEDULER : spec.scheduler().name();
    List<String> flags = flags(spec);
    Integer timeout = spec.persistence() == null ? null : spec.persistence().timeoutSeconds();
    Integer netmask = spec.persistence() == null ? null : spec.persistence().netmaskPrefixLength();
    List<NodeIpvsService> out = new ArrayList<>();
    if (spec.fwmark() != null) {
      out.add(
          new NodeIpvsService(
              s.key(), null, null, null, spec.fwmark(), family, scheduler, flags, timeout, netmask,
              destinations(s, members, null), s.healthCheck()));
      return out;
    }
    for (ServicePort p : spec.ports()) {
      Protocol proto = ServiceClaims.protocol(p);
      out.add(
          new NodeIpvsService(
              s.key(), spec.vip(), p.port(), proto, null, null, scheduler, flags, timeout, netmask,
              destinations(s, members, p), s.healthCheck()));
    }
    return out;
  }

  private static List<NodeDestination> destinations(ServiceInput s, List<Member> members, ServicePort p) {
    Forwarding fwd = s.spec().forwarding();
    String tunnel = fwd == Forwarding.Tunnel ? (s.spec().tunnelType() == null ? DEFAULT_TUNNEL : s.spec().tunnelType()) : null;
    Map<String, NodeDestination> out = new TreeMap<>();
    for (Member m : members) {
      int port = destinationPort(s.spec(), p, m);
      NodeDestination d =
          new NodeDestination(
              m.address(), port, m.effectiveWeight(), fwd, tunnel, s.upperThreshold(), s.lowerThreshold(),
              m.draining() ? Boolean.TRUE : null);
      // Two members collapsing on one address:port (DR ignores member ports): a serving one wins.
      out.merge(m.address() + "#" + port, d, (a, b) -> Boolean.TRUE.equals(a.draining()) ? b : a);
    }
    return new ArrayList<>(out.values());
  }

  /**
   * The port IPVS sends a member's traffic to for one service port ({@code null}: a fwmark
   * service): NAT and FullNAT rewrite to the targetPort, else the member's own port; DirectRouting
   * and Tunnel cannot rewrite, so the service port (0 for fwmark: the packet's own).
   */
  public static int destinationPort(VirtualServiceSpec spec, ServicePort p, Member m) {
    Forwarding fwd = spec.forwarding();
    if (fwd == Forwarding.NAT || fwd == Forwarding.FullNAT) {
      return p != null && p.targetPort() != null ? p.targetPort() : m.port();
    }
    return p == null ? 0 : p.port();
  }

  /** The service's flag words as the agent reads them (ipvsadm -b, plus -o one-packet); null when neither is set. */
  static List<String> flags(VirtualServiceSpec spec) {
    List<String> out = new ArrayList<>();
    if (spec.schedulerFlags() != null) {
      spec.schedulerFlags().forEach(f -> out.add(flag(f)));
    }
    if (Boolean.TRUE.equals(spec.onePacket())) {
      out.add(ONE_PACKET);
    }
    return spec.schedulerFlags() == null && out.isEmpty() ? null : out.stream().sorted().toList();
  }

  private static String flag(SchedulerFlag f) {
    return f.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
