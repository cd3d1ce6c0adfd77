package io.lvs.operator.sync;

import java.util.Set;

/** Told which VirtualServices' outcomes or node entries a sync run changed (they need a new status). */
@FunctionalInterface
public interface OutcomeListener {
  void outcomesChanged(Set<String> keys);
}
