package io.lvs.operator.diff;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;

/** One write the node-state writer must make; anything not listed is already right. */
public sealed interface NodeStateChange {
  /** The node-state object (slice) written. */
  String name();

  /** No object yet for a slice that must hold something. */
  record Create(String name, LvsNodeStateSpec spec) implements NodeStateChange {}

  /** The object's spec differs from the plan (including: must become empty). */
  record Update(String name, LvsNodeStateSpec spec) implements NodeStateChange {}

  /** The object holds nothing and is not needed (its node is gone, or its agent confirmed it empty): remove it. */
  record Delete(String name) implements NodeStateChange {}
}
