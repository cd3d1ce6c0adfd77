package io.lvs.operator.plan;

import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeLink;
import io.lvs.api.v1alpha1.NodeSnat;
import io.lvs.api.v1alpha1.NodeSysctl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Splits one node's desired spec into slices (see {@link NodeSlices}), the way the EndpointSlice
 * controller does: an owner (VirtualService) stays in the slice that holds it while it is on the
 * node, so a change to one VirtualService rewrites one small object; an owner new to the node goes
 * into the first slice with room, or a new one. An owner is never split and never moved: moving it
 * would take two writes the agent could see one at a time. A slice may therefore grow past the
 * limit when its owners grow; new owners then go elsewhere. Pure.
 */
public final class NodeSlicer {
  private final int maxEntries;

  /** @param maxEntries soft limit per slice, counting every service, destination, address, link, sysctl and SNAT rule */
  public NodeSlicer(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /** The slicing of one node: spec per slice name, and which slice each owner is in. */
  public record Slicing(Map<String, LvsNodeStateSpec> slices, Map<String, String> sliceOfOwner) {}

  /**
   * @param node the node
   * @param desired everything the node must program (null: nothing)
   * @param existing owners per slice name in the node's slice objects now
   * @param taken whether an object name is in use (by any node), so new slices avoid it
   * @return a spec for every existing slice (empty when it keeps nothing) and every new one
   */
  public Slicing slice(String node, LvsNodeStateSpec desired, Map<String, Set<String>> existing, Predicate<String> taken) {
    Map<String, Owned> owners = byOwner(desired);
    Map<String, Map<String, Owned>> slices = new TreeMap<>(Comparator.comparing(NodeSlicer::order).thenComparing(s -> s));
    Map<String, Integer> load = new HashMap<>();
    Map<String, String> sliceOf = new HashMap<>();
    existing.keySet().forEach(name -> {
      slices.put(name, new TreeMap<>());
      load.put(name, 0);
    });
    // owners already placed keep their slice
    for (Map.Entry<String, Set<String>> e : new TreeMap<>(existing).entrySet()) {
      for (String owner : e.getValue()) {
        Owned o = owners.get(owner);
        if (o != null && !sliceOf.containsKey(owner)) {
          place(owner, o, e.getKey(), slices, load, sliceOf);
        }
      }
    }
    // new owners: first slice with room, else a new slice
    int next = 0;
    for (Map.Entry<String, Owned> e : new TreeMap<>(owners).entrySet()) {
      if (sliceOf.containsKey(e.getKey())) {
        continue;
      }
      int cost = e.getValue().cost();
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
      place(e.getKey(), e.getValue(), target, slices, load, sliceOf);
    }
    Map<String, LvsNodeStateSpec> out = new LinkedHashMap<>();
    slices.forEach((name, owned) -> out.put(name, build(node, owned.values())));
    return new Slicing(out, sliceOf);
  }

  private static void place(String owner, Owned o, String slice, Map<String, Map<String, Owned>> slices,
      Map<String, Integer> load, Map<String, String> sliceOf) {
    slices.get(slice).put(owner, o);
    load.merge(slice, o.cost(), Integer::sum);
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

  /** One owner's entries on the node. */
  private record Owned(
      List<NodeIpvsService> services, List<NodeAddress> addresses, List<NodeLink> links, List<NodeSysctl> sysctls,
      List<NodeSnat> snat) {
    Owned() {
      this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    int cost() {
      int c = addresses.size() + links.size() + sysctls.size() + snat.size();
      for (NodeIpvsService s : services) {
        c += 1 + (s.destinations() == null ? 0 : s.destinations().size());
      }
      return c;
    }
  }

  /** Entries grouped by owner, owners in the order the planner wrote them (by key). */
  private static Map<String, Owned> byOwner(LvsNodeStateSpec spec) {
    Map<String, Owned> out = new HashMap<>();
    if (spec == null) {
      return out;
    }
    each(spec.services(), s -> out.computeIfAbsent(s.owner(), k -> new Owned()).services().add(s));
    each(spec.addresses(), a -> out.computeIfAbsent(a.owner(), k -> new Owned()).addresses().add(a));
    each(spec.links(), l -> out.computeIfAbsent(l.owner(), k -> new Owned()).links().add(l));
    each(spec.sysctls(), s -> out.computeIfAbsent(s.owner(), k -> new Owned()).sysctls().add(s));
    each(spec.snat(), s -> out.computeIfAbsent(s.owner(), k -> new Owned()).snat().add(s));
    return out;
  }

  private static <T> void each(List<T> l, java.util.function.Consumer<T> f) {
    if (l != null) {
      l.forEach(f);
    }
  }

  private static LvsNodeStateSpec build(String node, java.util.Collection<Owned> owners) {
    List<NodeIpvsService> services = new ArrayList<>();
    List<NodeAddress> addresses = new ArrayList<>();
    List<NodeLink> links = new ArrayList<>();
    List<NodeSysctl> sysctls = new ArrayList<>();
    List<NodeSnat> snat = new ArrayList<>();
    for (Owned o : owners) {
      services.addAll(o.services());
      addresses.addAll(o.addresses());
      links.addAll(o.links());
      sysctls.addAll(o.sysctls());
      snat.addAll(o.snat());
    }
    return new LvsNodeStateSpec(node, List.copyOf(services), List.copyOf(addresses), List.copyOf(links),
        List.copyOf(sysctls), List.copyOf(snat));
  }
}
