package io.lvs.api.slices;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The owners (VirtualService keys) named by the entries of a node-state spec: what the operator
 * places slice by slice and what an agent reports a slice's status about.
 */
public final class SpecOwners {
  private SpecOwners() {}

  /** The distinct owners of the spec's entries (a null owner included as null). */
  public static Set<String> of(LvsNodeStateSpec spec) {
    Set<String> out = new HashSet<>();
    forEach(spec, out::add);
    return out;
  }

  /** The owner of every entry, list by list (services, addresses, links, sysctls, SNAT, marks, HA VIP candidates); null entries are skipped. */
  public static void forEach(LvsNodeStateSpec spec, Consumer<String> owner) {
    if (spec != null) {
      each(spec.services(), s -> s.owner(), owner);
      each(spec.addresses(), a -> a.owner(), owner);
      each(spec.links(), l -> l.owner(), owner);
      each(spec.sysctls(), s -> s.owner(), owner);
      each(spec.snat(), s -> s.owner(), owner);
      each(spec.marks(), m -> m.owner(), owner);
      each(spec.vipCandidates(), c -> c.owner(), owner);
    }
  }

  private static <T> void each(List<T> l, Function<T, String> ownerOf, Consumer<String> owner) {
    if (l != null) {
      for (T t : l) {
        if (t != null) {
          owner.accept(ownerOf.apply(t));
        }
      }
    }
  }
}
