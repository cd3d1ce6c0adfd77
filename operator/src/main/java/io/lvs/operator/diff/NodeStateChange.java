package io.lvs.operator.diff;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;

/** One write the node-state writer must make; anything not listed is already right. */
public sealed interface NodeStateChange {
  String node();

  /** No object yet for a node that must program something. */
  record Create(String node, LvsNodeStateSpec spec) implements NodeStateChange {}

  /** The object's spec differs from the plan (including: must become empty). */
  record Update(String node, LvsNodeStateSpec spec) implements NodeStateChange {}

  /** The node is gone from the cluster and its object holds nothing: remove it. */
  record Delete(String node) implements NodeStateChange {}
}
