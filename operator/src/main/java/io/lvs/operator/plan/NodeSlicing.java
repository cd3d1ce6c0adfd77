package io.lvs.operator.plan;

import io.lvs.api.slices.NodeSlices;
import io.lvs.api.slices.SpecOwners;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan's per-node parts cut into slices ({@link NodeSlicer}): the slice specs every node should
 * have, and which slice holds each owner. Existing slice objects keep their owners, and a node
 * whose parts and slice objects are the very objects of last time keeps last time's slicing (a
 * slice of the very same parts keeps its spec object), so an unchanged node costs neither a
 * slicing nor, in {@link SliceChanges}, a deep comparison. The memos are optional: without them
 * the result is equal, as {@code NodeStateSyncDifferentialTest} checks.
 */
public final class NodeSlicing {
  private final NodeSlicer slicer;
  private final boolean memoize;
  private Map<String, Sliced> sliced = new HashMap<>();
  private Map<String, Built> built = new HashMap<>();
  // by identity: the owners of the slice specs the last slicing read
  private Map<LvsNodeStateSpec, Set<String>> specOwners = new IdentityHashMap<>();

  /**
   * One node's slicing, the objects (identities) it was made from, and its owner -> slice map
   * copied once: a node with ~400 owners copied on every run was a fifth of a run's CPU.
   */
  private record Sliced(List<LvsNodeStateSpec> parts, Map<String, LvsNodeStateSpec> existing, NodeSlicer.Slicing slicing,
      Map<String, String> sliceOfOwner) {}

  /** A slice's spec and the parts (identities) it was built from. */
  private record Built(List<LvsNodeStateSpec> parts, LvsNodeStateSpec spec) {}

  /**
   * @param desired spec per slice that must hold something (a slice left empty is absent: the diff
   *     empties or removes it)
   * @param sliceOfOwner per node, owner -> the slice holding its entries
   */
  public record Slices(Map<String, LvsNodeStateSpec> desired, Map<String, Map<String, String>> sliceOfOwner) {}

  public NodeSlicing(NodeSlicer slicer, boolean memoize) {
    this.slicer = slicer;
    this.memoize = memoize;
  }

  /** @param objects the slice objects now, by name */
  public Slices slice(ClusterPlan plan, Map<String, LvsNodeState> objects) {
    Map<String, Map<String, LvsNodeStateSpec>> byNode = new HashMap<>();
    objects.forEach((name, o) -> byNode.computeIfAbsent(NodeSlices.nodeOf(o), k -> new HashMap<>()).put(name, o.getSpec()));
    Map<String, LvsNodeStateSpec> out = new HashMap<>();
    Map<String, Map<String, String>> owners = new HashMap<>();
    Map<String, Sliced> nowSliced = new HashMap<>();
    Map<String, Built> nowBuilt = new HashMap<>();
    Map<LvsNodeStateSpec, Set<String>> ownersNow = new IdentityHashMap<>();
    plan.parts().forEach((node, parts) -> {
      Map<String, LvsNodeStateSpec> mine = byNode.getOrDefault(node, Map.of());
      Sliced known = sliced.get(node);
      Sliced s;
      if (known != null && known.parts() == parts && sameObjects(known.existing(), mine)) {
        s = known;
      } else {
        Map<String, Set<String>> existingOwners = new HashMap<>();
        mine.forEach((name, spec) -> existingOwners.put(name, ownersOf(spec, ownersNow)));
        NodeSlicer.Slicing slicing = slicer.slice(node, parts, existingOwners, n -> objects.containsKey(n) || out.containsKey(n));
        s = new Sliced(parts, mine, slicing, Map.copyOf(slicing.sliceOfOwner()));
      }
      nowSliced.put(node, s);
      owners.put(node, s.sliceOfOwner());
      s.slicing().slices().forEach((name, sliceParts) -> {
        if (!sliceParts.isEmpty()) {
          Built b = built.get(name);
          if (b == null || !NodeSlicer.sameObjects(b.parts(), sliceParts)) {
            b = new Built(sliceParts, NodeSlicer.build(node, sliceParts));
          }
          nowBuilt.put(name, b);
          out.put(name, b.spec());
        }
      });
    });
    if (memoize) {
      sliced = nowSliced;
      built = nowBuilt;
      specOwners = ownersNow;
    }
    return new Slices(out, Map.copyOf(owners));
  }

  /** The owners in a slice's spec, remembered per spec object (a slice object changes only when written). */
  private Set<String> ownersOf(LvsNodeStateSpec spec, Map<LvsNodeStateSpec, Set<String>> now) {
    if (spec == null) {
      return Set.of();
    }
    Set<String> owners = specOwners.get(spec);
    if (owners == null) {
      owners = SpecOwners.of(spec);
    }
    now.put(spec, owners);
    return owners;
  }

  private static boolean sameObjects(Map<String, LvsNodeStateSpec> a, Map<String, LvsNodeStateSpec> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, LvsNodeStateSpec> e : a.entrySet()) {
      if (b.get(e.getKey()) != e.getValue() || !b.containsKey(e.getKey())) {
        return false;
      }
    }
    return true;
  }
}
