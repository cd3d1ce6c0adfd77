package io.lvs.operator.plan;

import io.lvs.api.slices.NodeSlices;
import io.lvs.api.slices.SpecOwners;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeLink;
import io.lvs.api.v1alpha1.NodeMark;
import io.lvs.api.v1alpha1.NodeSnat;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.NodeVipCandidate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Splits one node's desired state into slices (see {@link NodeSlices}), the way the EndpointSlice
 * controller does: an owner (VirtualService) stays in the slice that holds it while it is on the
 * node, so a change to one VirtualService rewrites one small object; an owner new to the node goes
 * into the first slice with room, or a new one. An owner is never split and never moved: moving it
 * would take two writes the agent could see one at a time. A slice may therefore grow past the
 * limit when its owners grow; new owners then go elsewhere. Pure.
 *
 * <p>Input and output are per-owner parts (one owner's entries on the node, as the planner makes
 * them), so the caller can tell an unchanged slice by the identity of its parts.
 */
public final class NodeSlicer {
  private final int maxEntries;

  /** @param maxEntries soft limit per slice, counting entries as {@link #cost} does */
  public NodeSlicer(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /**
   * One node's slicing: the parts of every slice (existing ones included, possibly empty, in index
   * order; parts in owner order), and which slice each owner is in.
   */
  public record Slicing(Map<String, List<LvsNodeStateSpec>> slices, Map<String, String> sliceOfOwner) {}

  /**
   * @param node the node
   * @param parts the node's desired state, one part per owner (see {@link #parts})
   * @param existing owners per slice name in the node's slice objects now
   * @param taken whether an object name is in use (by any node), so new slices avoid it
   */
  public Slicing slice(String node, List<LvsNodeStateSpec> parts, Map<String, Set<String>> existing, Predicate<String> taken) {
    Map<String, LvsNodeStateSpec> owners = new HashMap<>();
    for (LvsNodeStateSpec p : parts) {
      owners.put(owner(p), p);
    }
    Map<String, Map<String, LvsNodeStateSpec>> slices =
        new TreeMap<>(Comparator.comparing(NodeSlicer::order).thenComparing(s -> s));
    Map<String, Integer> load = new HashMap<>();
    Map<String, String> sliceOf = new HashMap<>();
    existing.keySet().forEach(name -> {
      slices.put(name, new TreeMap<>());
      load.put(name, 0);
    });
    // owners already placed keep their slice
    for (Map.Entry<String, Set<String>> e : new TreeMap<>(existing).entrySet()) {
      for (String owner : e.getValue()) {
        LvsNodeStateSpec p = owners.get(owner);
        if (p != null && !sliceOf.containsKey(owner)) {
          place(owner, p, e.getKey(), slices, load, sliceOf);
        }
      }
    }
    // new owners, by key: first slice with room, else a new slice
    int next = 0;
    for (String owner : new TreeMap<>(owners).keySet()) {
      if (sliceOf.containsKey(owner)) {
        continue;
      }
      int cost = cost(owners.get(owner));
      String target = null;
      for (String name : slices.keySet()) {
        if (load.get(name) == 0 || load.get(name) + cost <= maxEntries) {
          target = name;
          break;
        }
      }
      if (target == null) {
        while (slices.containsKey(NodeSlices.name(node, next)) || taken.test(NodeSlices.name(node, next))) {
          next++;
        }
        target = NodeSlices.name(node, next);
        slices.put(target, new TreeMap<>());
        load.put(target, 0);
      }
      place(owner, owners.get(owner), target, slices, load, sliceOf);
    }
    Map<String, List<LvsNodeStateSpec>> out = new LinkedHashMap<>();
    slices.forEach((name, owned) -> out.put(name, List.copyOf(owned.values())));
    return new Slicing(out, sliceOf);
  }

  private static void place(String owner, LvsNodeStateSpec part, String slice, Map<String, Map<String, LvsNodeStateSpec>> slices,
      Map<String, Integer> load, Map<String, String> sliceOf) {
    slices.get(slice).put(owner, part);
    load.merge(slice, cost(part), Integer::sum);
    sliceOf.put(owner, slice);
  }

  /** Slice names in index order (N, N.1, N.2, ... N.10), not string order. */
  private static int order(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      return 0;
    }
    try {
      return Integer.parseInt(name.substring(dot + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Entries a part holds: every service, destination, address, link, sysctl, SNAT and marking rule,
   * and every HA VIP candidacy with each director it names (a candidacy lists them all).
   */
  static int cost(LvsNodeStateSpec p) {
    int c = size(p.addresses()) + size(p.links()) + size(p.sysctls()) + size(p.snat())
        + size(p.marks());
    if (p.vipCandidates() != null) {
      for (NodeVipCandidate v : p.vipCandidates()) {
        c += 1 + size(v.directors());
      }
    }
    if (p.services() != null) {
      for (NodeIpvsService s : p.services()) {
        c += 1 + size(s.destinations());
      }
    }
    return c;
  }

  private static int size(List<?> l) {
    return l == null ? 0 : l.size();
  }

  /** The owner of a part (all its entries have the same one). */
  static String owner(LvsNodeStateSpec p) {
    Set<String> owners = SpecOwners.of(p);
    if (owners.size() != 1) {
      throw new IllegalArgumentException("a part must hold one owner's entries, found " + owners);
    }
    return owners.iterator().next();
  }

  /** Same length and the very same objects, in order: how unchanged parts are recognised without a deep compare. */
  public static boolean sameObjects(List<?> a, List<?> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** One spec of a node made from parts, in the given order. */
  public static LvsNodeStateSpec build(String node, Collection<LvsNodeStateSpec> parts) {
    List<NodeIpvsService> services = new ArrayList<>();
    List<NodeAddress> addresses = new ArrayList<>();
    List<NodeLink> links = new ArrayList<>();
    List<NodeSysctl> sysctls = new ArrayList<>();
    List<NodeSnat> snat = new ArrayList<>();
    List<NodeMark> marks = new ArrayList<>();
    List<NodeVipCandidate> candidates = new ArrayList<>();
    for (LvsNodeStateSpec p : parts) {
      addAll(services, p.services());
      addAll(addresses, p.addresses());
      addAll(links, p.links());
      addAll(sysctls, p.sysctls());
      addAll(snat, p.snat());
      addAll(marks, p.marks());
      addAll(candidates, p.vipCandidates());
    }
    return new LvsNodeStateSpec(node, List.copyOf(services), List.copyOf(addresses), List.copyOf(links),
        List.copyOf(sysctls), List.copyOf(snat), marks.isEmpty() ? null : List.copyOf(marks), null,
        candidates.isEmpty() ? null : List.copyOf(candidates));
  }

  private static <T> void addAll(List<T> to, List<T> from) {
    if (from != null) {
      to.addAll(from);
    }
  }
}
