package io.lvs.agent.runtime.k8s;

import io.lvs.api.v1alpha1.LvsNodeState;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The watcher's cache of this node's slices by name. An object whose spec equals the cached one's
 * (the agent's own status writes come back as whole objects) keeps the cached spec instance: the
 * sync loop holds that one since its delivery, and a fresh equal copy per status write would hold
 * the spec twice.
 */
final class SliceCache {
  private final Map<String, LvsNodeState> byName = new ConcurrentHashMap<>();

  void put(LvsNodeState s) {
    byName.put(s.getMetadata().getName(), keepSpec(s));
  }

  void remove(String name) {
    byName.remove(name);
  }

  /** Replaces the whole cache by a list's objects (those not in it were deleted meanwhile). */
  void replaceAll(List<LvsNodeState> slices) {
    Map<String, LvsNodeState> listed = new HashMap<>();
    for (LvsNodeState s : slices) {
      listed.put(s.getMetadata().getName(), keepSpec(s));
    }
    byName.keySet().retainAll(listed.keySet());
    byName.putAll(listed);
  }

  LvsNodeState get(String name) {
    return byName.get(name);
  }

  Collection<LvsNodeState> values() {
    return byName.values();
  }

  private LvsNodeState keepSpec(LvsNodeState s) {
    LvsNodeState cached = byName.get(s.getMetadata().getName());
    if (cached != null && cached.getSpec() != null && cached.getSpec() != s.getSpec()
        && cached.getSpec().equals(s.getSpec())) {
      s.setSpec(cached.getSpec());
    }
    return s;
  }
}
