package io.lvs.operator.plan;

import io.lvs.operator.resolve.Member;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every VirtualService, its resolved members and the nodes in, one LvsNodeState spec per node out.
 * Three steps, each in its own class: decide across VirtualServices ({@link ClusterDecisions}:
 * conflicts, directors, VIP holders or, for an HA group of directors, the candidates that elect
 * the holder themselves); build each VirtualService's fragment ({@link FragmentBuilder}:
 * what each node programs for it); merge the fragments per node ({@link NodeParts}).
 *
 * <p>VIP handover is fenced ({@link VipFence}): while the VIP's Lease names another director
 * than the chosen one, this plan gives the VIP to nobody.
 *
 * <p>Pure in its output: the same inputs give the same plan. It keeps memos of the previous plan
 * (one caller thread at a time, hence synchronized); {@code NodeStateSyncDifferentialTest} proves
 * them against a fresh planner on every step.
 */
public final class NodeStatePlanner {
  /**
   * Fragments of the previous plan by everything they depend on. A memo, not state: the output is
   * the same with or without it; it spares re-deriving 2,000 unchanged VirtualServices when one
   * changes.
   */
  private Map<String, Known> previous = new HashMap<>();

  /** Per node, the owners' parts and the spec merged from them (a memo, see {@link NodeParts}). */
  private NodeParts nodeParts = new NodeParts();

  /**
   * The previous plan's decisions across VirtualServices, and what from; while its nodes are equal
   * to this plan's, an unchanged input also has unchanged member nodes.
   */
  private ClusterDecisions previousDecisions;

  /** A VirtualService's last fragment and outcome, and what they were made from. */
  private record Known(FragmentKey key, Fragment fragment, ClusterPlan.Outcome outcome) {}

  public synchronized ClusterPlan plan(
      List<ServiceInput> services, Collection<NodeView> nodes, Map<String, String> leaseHolders) {
    try {
      return planIncrementally(services, nodes, leaseHolders);
    } catch (RuntimeException e) {
      // the memos may be half updated: forget them, the next plan starts afresh
      previous = new HashMap<>();
      nodeParts = new NodeParts();
      previousDecisions = null;
      throw e;
    }
  }

  private ClusterPlan planIncrementally(
      List<ServiceInput> services, Collection<NodeView> nodes, Map<String, String> leaseHolders) {
    Map<String, NodeView> byName =
        nodes.stream().collect(Collectors.toMap(NodeView::name, Function.identity(), (a, b) -> a, TreeMap::new));
    boolean sameNodes = previousDecisions != null && byName.equals(previousDecisions.nodes());
    ClusterDecisions g = sameNodes && previousDecisions.holdFor(services, byName, leaseHolders)
        ? previousDecisions
        : ClusterDecisions.decide(services, byName, leaseHolders);
    previousDecisions = g.madeFrom(services, byName, leaseHolders);

    Map<String, ServiceInput> current = new HashMap<>();
    services.forEach(s -> current.put(s.key(), s));
    Map<String, ClusterPlan.Outcome> outcomes = new TreeMap<>();
    Map<String, Known> memo = new HashMap<>();
    for (String key : g.byKey()) {
      Known now = fragmentOf(current.get(key), g, byName, sameNodes, leaseHolders);
      memo.put(key, now);
      outcomes.put(key, now.outcome());
    }
    for (Map.Entry<String, Known> gone : previous.entrySet()) {
      if (!memo.containsKey(gone.getKey())) { // deleted, invalid or lost a conflict
        nodeParts.replace(gone.getKey(), gone.getValue().fragment(), null);
      }
    }
    previous = memo; // only what this plan used: the memo cannot grow without bound
    g.losers().forEach((k, msg) -> outcomes.put(k, new ClusterPlan.Outcome(msg, List.of(), null, Set.of())));
    nodeParts.mergeChanged();
    return new ClusterPlan(nodeParts.specs(), nodeParts.parts(), outcomes, g.chosen());
  }

  /**
   * One winner's fragment in this plan: the previous one while everything it depends on is equal
   * (then the node parts are left alone), else built afresh and moved into the node parts.
   */
  private Known fragmentOf(ServiceInput s, ClusterDecisions g, Map<String, NodeView> byName, boolean sameNodes,
      Map<String, String> leaseHolders) {
    String holder = holderOf(s, g, leaseHolders);
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
    List<NodeView> clients = sameObject ? known.key().clientNodes() : InClusterClients.nodes(s.spec(), byName.values());
    HaVip ha = s.spec().vip() == null ? null : g.ha().get(ServiceClaims.canonical(s.spec().vip()));
    FragmentKey key = new FragmentKey(s, ds, holder, holderIp, present, clients, ha);
    if (known == null || !known.key().equals(key)) {
      Known now = known(key);
      nodeParts.replace(s.key(), known == null ? null : known.fragment(), now.fragment());
      return now;
    }
    // equal, not identical: remember this input object, so the next plan knows it at a glance
    return known.key().service() == s ? known : new Known(key, known.fragment(), known.outcome());
  }

  /** The director granted this VirtualService's VIP in this plan; null while none (or fenced, or elected by the directors). */
  private static String holderOf(ServiceInput s, ClusterDecisions g, Map<String, String> leaseHolders) {
    String vip = s.spec().vip() == null ? null : ServiceClaims.canonical(s.spec().vip());
    if (vip == null || !g.chosen().containsKey(vip)) {
      return null;
    }
    return VipFence.granted(g.chosen().get(vip), leaseHolders.get(vip));
  }

  private static Known known(FragmentKey k) {
    Fragment f = FragmentBuilder.build(k);
    Map<String, NodeView> present = new HashMap<>();
    k.memberNodes().forEach(n -> present.put(n.name(), n));
    return new Known(k, f, new ClusterPlan.Outcome(null, k.directors().stream().map(NodeView::name).toList(), k.holder(),
        f.nodes().keySet(), PodRealServers.notL2Neighbours(k.service().spec().forwarding(), k.service().members(), present,
            k.vipNodes())));
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
}
