package io.lvs.agent.runtime;

import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import java.util.Map;

/**
 * Where the sync loop hands each sync's statuses, one per slice (slice name -> status; a slice not
 * in the map no longer exists for this node). Must not block: the API server may be down.
 */
@FunctionalInterface
public interface StatusSink {
  void publish(Map<String, LvsNodeStateStatus> bySlice);
}
