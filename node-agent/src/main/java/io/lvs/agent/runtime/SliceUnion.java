package io.lvs.agent.runtime;

import io.lvs.api.slices.SpecOwners;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A node's slices as the one spec the agent applies: their union. Pure.
 *
 * <p>Lists are concatenated in slice-name order, so the union (and with it the apply order and
 * which wish wins a conflict) does not depend on the order the watcher lists the objects in. An
 * entry equal to one already taken (a shared address or sysctl the operator wrote into two slices,
 * or an owner caught between slices while it moves) is taken once, so a duplicate never turns into
 * a conflict with itself; differing entries are all kept and the translator reports contradictions
 * as before.
 *
 * <p>Per slice it keeps the generation and the owners its entries name, which is what its status
 * speaks about, and where each union entry came from, so a translation error names the index in
 * the owner's own slice rather than in the union.
 */
public record SliceUnion(List<NodeSlice> slices, LvsNodeStateSpec spec, Map<String, Set<String>> owners,
    Map<String, List<Integer>> origins) {
  public static final SliceUnion EMPTY = of(List.of());

  public SliceUnion {
    slices = List.copyOf(slices);
    owners = Collections.unmodifiableMap(new LinkedHashMap<>(owners));
    origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
  }

  public static SliceUnion of(Collection<NodeSlice> in) {
    List<NodeSlice> sorted = in.stream().sorted(Comparator.comparing(NodeSlice::name)).toList();
    Map<String, Set<String>> owners = new LinkedHashMap<>();
    for (NodeSlice s : sorted) {
      owners.put(s.name(), ownersOf(s.spec()));
    }
    Map<String, List<Integer>> origins = new LinkedHashMap<>();
    LvsNodeStateSpec spec = new LvsNodeStateSpec(sorted.isEmpty() ? null : sorted.get(0).spec().nodeName(),
        concat(sorted, "services", LvsNodeStateSpec::services, origins),
        concat(sorted, "addresses", LvsNodeStateSpec::addresses, origins),
        concat(sorted, "links", LvsNodeStateSpec::links, origins),
        concat(sorted, "sysctls", LvsNodeStateSpec::sysctls, origins),
        concat(sorted, "snat", LvsNodeStateSpec::snat, origins),
        concat(sorted, "marks", LvsNodeStateSpec::marks, origins),
        // only the first slice carries them; the first found wins should a second ever do
        sorted.stream().map(s -> s.spec().timeouts()).filter(java.util.Objects::nonNull).findFirst().orElse(null));
    return new SliceUnion(sorted, spec, owners, origins);
  }

  /** The owners (VirtualService keys) with entries in one slice's spec, as the translator names them. */
  static Set<String> ownersOf(LvsNodeStateSpec spec) {
    Set<String> out = new TreeSet<>();
    SpecOwners.forEach(spec, o -> out.add(NodeStateTranslator.owner(o)));
    return Collections.unmodifiableSet(out);
  }

  /** "spec.LIST[i]" with i the entry's index in the slice it came from. */
  public String path(String list, int unionIndex) {
    List<Integer> from = origins.get(list);
    int local = from != null && unionIndex >= 0 && unionIndex < from.size() ? from.get(unionIndex) : unionIndex;
    return "spec." + list + "[" + local + "]";
  }

  /** Slice name -> generation, for logs. */
  public Map<String, Long> generations() {
    Map<String, Long> out = new LinkedHashMap<>();
    slices.forEach(s -> out.put(s.name(), s.generation()));
    return out;
  }

  private static <T> List<T> concat(List<NodeSlice> slices, String list, Function<LvsNodeStateSpec, List<T>> field,
      Map<String, List<Integer>> origins) {
    List<T> out = new ArrayList<>();
    List<Integer> from = new ArrayList<>();
    Set<T> seen = new HashSet<>();
    for (NodeSlice s : slices) {
      List<T> entries = orEmpty(field.apply(s.spec()));
      for (int i = 0; i < entries.size(); i++) {
        T e = entries.get(i);
        if (e == null || seen.add(e)) {
          out.add(e);
          from.add(i);
        }
      }
    }
    origins.put(list, List.copyOf(from));
    return out.isEmpty() ? null : out;
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }
}
