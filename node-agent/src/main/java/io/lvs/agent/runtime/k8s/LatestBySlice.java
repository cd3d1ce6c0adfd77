package io.lvs.agent.runtime.k8s;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The statuses waiting to be written, at most one per slice: a newer status of a slice replaces the
 * older one at once, even while a write of the older one is in flight, and a slice missing from a
 * publication is gone. So what waits through an API outage is bounded by the number of slices, not
 * by how long the outage lasts (a retried batch used to be held whole beside the newer one).
 * Thread-safe.
 */
final class LatestBySlice<V> {
  private final Map<String, V> waiting = new HashMap<>();
  private Set<String> live = Set.of();

  /** Every slice's newest value; a slice not in {@code bySlice} no longer exists and its value is dropped. */
  synchronized void offer(Map<String, V> bySlice) {
    live = Set.copyOf(bySlice.keySet());
    waiting.keySet().retainAll(live);
    waiting.putAll(bySlice);
  }

  /** The slices of the last publication. */
  synchronized Set<String> live() {
    return live;
  }

  /** The slices with a value waiting, in name order. */
  synchronized List<String> slices() {
    return waiting.keySet().stream().sorted().toList();
  }

  /** The newest value waiting for {@code slice}. */
  synchronized Optional<V> get(String slice) {
    return Optional.ofNullable(waiting.get(slice));
  }

  /** {@code value} of {@code slice} was dealt with: dropped unless a newer one replaced it meanwhile. */
  synchronized void done(String slice, V value) {
    if (waiting.get(slice) == value) { // identity: a status equal to a newer one is still the older
      waiting.remove(slice);
    }
  }

  synchronized int size() {
    return waiting.size();
  }
}
