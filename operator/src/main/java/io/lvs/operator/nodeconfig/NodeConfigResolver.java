package io.lvs.operator.nodeconfig;

import io.lvs.api.v1alpha1.IpvsTimeoutsSpec;
import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.NodeTimeouts;
import io.lvs.operator.plan.NodeView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which LvsNodeConfig applies to which node. A node selected by exactly one (valid) configuration
 * gets its timeouts; a node selected by two or more gets none of them: it keeps what its first
 * slice holds now (the previous configuration's, or none), and every configuration involved is
 * told which node and which other configuration. Nothing is decided by age or name. Pure.
 */
public final class NodeConfigResolver {
  private NodeConfigResolver() {}

  /**
   * @param timeouts per node, the timeouts its first slice must carry (absent: none)
   * @param configs per configuration, what it selects and its conflicts
   */
  public record Resolution(Map<String, NodeTimeouts> timeouts, Map<String, ConfigOutcome> configs) {}

  /**
   * @param nodes the nodes the selector picks, by name (conflicting ones included)
   * @param conflicts per conflicting node, the other configurations selecting it (by name)
   */
  public record ConfigOutcome(List<String> nodes, Map<String, List<String>> conflicts) {
    public boolean applies(String node) {
      return nodes.contains(node) && !conflicts.containsKey(node);
    }
  }

  /**
   * @param configs the valid configurations (invalid ones select nothing)
   * @param nodes the cluster's nodes
   * @param current per node, the timeouts its first slice holds now
   */
  public static Resolution resolve(Collection<LvsNodeConfig> configs, Collection<NodeView> nodes,
      Map<String, NodeTimeouts> current) {
    Map<String, List<String>> selecting = new TreeMap<>(); // node -> configs, by name
    Map<String, LvsNodeConfig> byName = new TreeMap<>();
    for (LvsNodeConfig c : configs) {
      byName.put(c.getMetadata().getName(), c);
    }
    for (NodeView n : nodes) {
      for (LvsNodeConfig c : byName.values()) {
        if (c.getSpec() != null && selects(c.getSpec().nodeSelector(), n.labels())) {
          selecting.computeIfAbsent(n.name(), k -> new ArrayList<>()).add(c.getMetadata().getName());
        }
      }
    }
    Map<String, NodeTimeouts> timeouts = new HashMap<>();
    Map<String, List<String>> nodesOf = new TreeMap<>();
    Map<String, Map<String, List<String>>> conflictsOf = new TreeMap<>();
    byName.keySet().forEach(name -> {
      nodesOf.put(name, new ArrayList<>());
      conflictsOf.put(name, new TreeMap<>());
    });
    selecting.forEach((node, names) -> {
      names.forEach(name -> nodesOf.get(name).add(node));
      if (names.size() == 1) {
        timeouts.put(node, of(names.get(0), byName.get(names.get(0)).getSpec().timeouts()));
        return;
      }
      NodeTimeouts kept = current.get(node);
      if (kept != null) {
        timeouts.put(node, kept); // never resolved by picking one: what the node had stays
      }
      for (String name : names) {
        List<String> others = new ArrayList<>(new TreeSet<>(names));
        others.remove(name);
        conflictsOf.get(name).put(node, List.copyOf(others));
      }
    });
    Map<String, ConfigOutcome> outcomes = new TreeMap<>();
    nodesOf.forEach((name, ns) -> outcomes.put(name, new ConfigOutcome(List.copyOf(ns), Map.copyOf(conflictsOf.get(name)))));
    return new Resolution(Map.copyOf(timeouts), Map.copyOf(outcomes));
  }

  /** As a Kubernetes label selector: every label equal; {} selects every node (null: none). */
  static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return selector != null && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  static NodeTimeouts of(String config, IpvsTimeoutsSpec t) {
    return new NodeTimeouts(config, t.tcpSeconds(), t.tcpFinSeconds(), t.udpSeconds());
  }
}
