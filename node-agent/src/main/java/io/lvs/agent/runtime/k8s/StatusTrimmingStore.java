package io.lvs.agent.runtime.k8s;

import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;

/**
 * The watcher's cache of this node's slices, each status cut to what the agent reads from it:
 * the observed generation, the conditions (their transition times survive a restart) and the sync
 * time. The rest is what this agent itself wrote, a report per service and destination: at 10,000
 * services x 10, a copy of the whole table held only because the watch delivers whole objects.
 * An object whose spec equals the cached one's (the agent's own status writes come back as whole
 * objects) keeps the cached spec instance: the sync loop holds that one since its delivery, and
 * a fresh equal copy per status write would hold the spec twice.
 */
final class StatusTrimmingStore extends BasicItemStore<LvsNodeState> {
  StatusTrimmingStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public LvsNodeState put(String key, LvsNodeState obj) {
    LvsNodeStateStatus s = obj.getStatus();
    if (s != null && (s.owners() != null || s.services() != null || s.timeouts() != null)) {
      obj.setStatus(new LvsNodeStateStatus(s.observedGeneration(), s.conditions(), s.lastSyncTime(), null, null, null));
    }
    LvsNodeState cached = get(key);
    if (cached != null && cached.getSpec() != null && cached.getSpec() != obj.getSpec()
        && cached.getSpec().equals(obj.getSpec())) {
      obj.setSpec(cached.getSpec());
    }
    return super.put(key, obj);
  }
}
