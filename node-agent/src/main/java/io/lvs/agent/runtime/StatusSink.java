package io.lvs.agent.runtime;

import io.lvs.api.v1alpha1.LvsNodeStateStatus;

/** Where the sync loop hands each status it builds; must not block (the API server may be down). */
@FunctionalInterface
public interface StatusSink {
  void publish(LvsNodeStateStatus status);
}
