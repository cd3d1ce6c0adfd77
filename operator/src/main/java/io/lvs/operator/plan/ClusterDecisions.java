package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.Directors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a plan decides across VirtualServices: the conflicts' losers (key to message), the winners
 * by key, each winner's directors and, per VIP, either the director that should hold it or, when
 * its directors are an HA group, the candidates that elect the holder themselves ({@code ha}).
 * They depend on every VirtualService's spec, the nodes and the leases, not on members, so a
 * members-only change reuses them; {@code inputs}, {@code nodes} and {@code leases} are what they
 * were made from.
 */
record ClusterDecisions(List<ServiceInput> inputs, Map<String, NodeView> nodes, Map<String, String> leases,
    Map<String, String> losers, List<String> byKey, Map<String, List<NodeView>> directors,
    Map<String, String> chosen, Map<String, HaVip> ha) {

  static ClusterDecisions decide(List<ServiceInput> services, Map<String, NodeView> byName, Map<String, String> leaseHolders) {
    Map<String, String> losers = ConflictResolver.losers(services);
    List<ServiceInput> winners =
        services.stream()
            .filter(s -> s.active() && !losers.containsKey(s.key()))
            .sorted(Comparator.comparing(ServiceInput::created).thenComparing(ServiceInput::key))
            .toList();
    Map<String, List<NodeView>> directors = new HashMap<>();
    Map<Directors, List<NodeView>> bySelector = new HashMap<>(); // VirtualServices share selectors
    for (ServiceInput s : winners) {
      Directors d = s.spec().directors();
      directors.put(s.key(), d == null ? List.of() : bySelector.computeIfAbsent(d, x -> DirectorSelector.select(x, byName.values())));
    }
    Map<String, List<ServiceInput>> byVip = byVip(winners);
    Map<String, HaVip> ha = new TreeMap<>();
    Map<String, List<ServiceInput>> single = new TreeMap<>();
    byVip.forEach((vip, list) -> {
      Directors oldest = list.get(0).spec().directors();
      List<NodeView> peers = DirectorSelector.matching(oldest, byName.values());
      if (peers.size() >= 2) {
        ha.put(vip, new HaVip(pool(list, directors), peers, oldest));
      } else {
        single.put(vip, list);
      }
    });
    Map<String, String> chosen = chooseHolders(single, directors, leaseHolders);
    // by key, so concatenating per-owner fragments gives lists ordered by owner, as one sort would
    List<String> byKey = winners.stream().map(ServiceInput::key).sorted().toList();
    return new ClusterDecisions(services, byName, leaseHolders, losers, byKey, directors, chosen, ha);
  }

  /** Whether these decisions hold for a plan of these inputs: same nodes, leases and specs. */
  boolean holdFor(List<ServiceInput> services, Map<String, NodeView> byName, Map<String, String> leaseHolders) {
    return byName.equals(nodes) && leases.equals(leaseHolders) && sameShapes(inputs, services);
  }

  /** The same decisions, remembered as made from this plan's inputs. */
  ClusterDecisions madeFrom(List<ServiceInput> services, Map<String, NodeView> byName, Map<String, String> leaseHolders) {
    return new ClusterDecisions(services, byName, Map.copyOf(leaseHolders), losers, byKey, directors, chosen, ha);
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
          || (a.spec() != b.spec() && !Objects.equals(a.spec(), b.spec()))) {
        return false;
      }
    }
    return true;
  }

  /** The VirtualServices on each VIP, oldest first (winners are in age order). */
  private static Map<String, List<ServiceInput>> byVip(List<ServiceInput> winners) {
    Map<String, List<ServiceInput>> byVip = new TreeMap<>();
    for (ServiceInput s : winners) {
      if (s.spec().vip() != null) {
        byVip.computeIfAbsent(ServiceClaims.canonical(s.spec().vip()), v -> new ArrayList<>()).add(s);
      }
    }
    return byVip;
  }

  /**
   * The directors that may hold a VIP: those of every VirtualService on it, or, when they share
   * none, those of the oldest one (by name).
   */
  private static List<NodeView> pool(List<ServiceInput> onVip, Map<String, List<NodeView>> directors) {
    List<NodeView> eligible = directors.get(onVip.get(0).key());
    Set<String> common = names(eligible);
    onVip.forEach(s -> common.retainAll(names(directors.get(s.key()))));
    return common.isEmpty() ? eligible : eligible.stream().filter(n -> common.contains(n.name())).toList();
  }

  /**
   * Per VIP, the director that should hold it: the current lease holder while it stays in the
   * VIP's {@link #pool} (no flapping when a node joins), else the first of the pool by name.
   */
  private static Map<String, String> chooseHolders(
      Map<String, List<ServiceInput>> byVip, Map<String, List<NodeView>> directors, Map<String, String> leases) {
    Map<String, String> out = new TreeMap<>();
    byVip.forEach(
        (vip, list) -> {
          Set<String> pool = names(pool(list, directors));
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
}
