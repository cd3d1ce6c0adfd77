package io.lvs.agent.runtime;

import java.util.Map;

/**
 * Where the sync loop hands each sync's statuses, one per slice (slice name -> status; a slice not
 * in the map no longer exists for this node), each built when it is written ({@link SliceStatus}).
 * Must not block: the API server may be down.
 */
@FunctionalInterface
public interface StatusSink {
  void publish(Map<String, SliceStatus> bySlice);
}
