package io.lvs.agent.runtime;

import java.util.HashMap;
import java.util.Map;

/**
 * Equal immutable values made one instance, for the length of one translation: a real server
 * behind several services (a VirtualService's ports, pools shared by VIPs) is one address and one
 * destination key in the desired state, not one per service. Dropped with the translation, so it
 * holds nothing between syncs.
 */
final class ValuePool {
  private final Map<Object, Object> values = new HashMap<>();

  /** The first value equal to {@code v} this pool was given (v itself the first time). */
  @SuppressWarnings("unchecked")
  <T> T shared(T v) {
    Object first = values.putIfAbsent(v, v);
    return first == null ? v : (T) first;
  }

  int size() {
    return values.size();
  }
}
