package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The owners (VirtualService keys) that have entries in a node-state spec. */
public final class SpecOwners {
  private SpecOwners() {}

  public static Set<String> of(LvsNodeStateSpec spec) {
    Set<String> out = new HashSet<>();
    if (spec != null) {
      add(spec.services(), s -> s.owner(), out);
      add(spec.addresses(), a -> a.owner(), out);
      add(spec.links(), l -> l.owner(), out);
      add(spec.sysctls(), s -> s.owner(), out);
      add(spec.snat(), s -> s.owner(), out);
    }
    return out;
  }

  private static <T> void add(List<T> l, Function<T, String> owner, Set<String> out) {
    if (l != null) {
      l.forEach(t -> out.add(owner.apply(t)));
    }
  }
}
