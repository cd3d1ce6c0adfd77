package io.lvs.operator.diff;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Which owners' entries differ between two specs of one node object. */
public final class OwnerChanges {
  private OwnerChanges() {}

  public static Set<String> between(LvsNodeStateSpec before, LvsNodeStateSpec after) {
    LvsNodeStateSpec a = NodeStateDiff.normalize(before);
    LvsNodeStateSpec b = NodeStateDiff.normalize(after);
    Set<String> out = new HashSet<>();
    compare(a.services(), b.services(), s -> s.owner(), out);
    compare(a.addresses(), b.addresses(), s -> s.owner(), out);
    compare(a.links(), b.links(), s -> s.owner(), out);
    compare(a.sysctls(), b.sysctls(), s -> s.owner(), out);
    compare(a.snat(), b.snat(), s -> s.owner(), out);
    compare(a.marks(), b.marks(), s -> s.owner(), out);
    compare(a.vipCandidates(), b.vipCandidates(), s -> s.owner(), out);
    return out;
  }

  private static <T> void compare(List<T> a, List<T> b, Function<T, String> owner, Set<String> out) {
    Map<String, List<T>> ga = group(a, owner);
    Map<String, List<T>> gb = group(b, owner);
    Set<String> keys = new HashSet<>(ga.keySet());
    keys.addAll(gb.keySet());
    for (String k : keys) {
      if (!ga.getOrDefault(k, List.of()).equals(gb.getOrDefault(k, List.of()))) {
        out.add(k);
      }
    }
  }

  private static <T> Map<String, List<T>> group(List<T> l, Function<T, String> owner) {
    Map<String, List<T>> out = new HashMap<>();
    for (T t : l) {
      out.computeIfAbsent(owner.apply(t), k -> new java.util.ArrayList<>()).add(t);
    }
    return out;
  }
}
