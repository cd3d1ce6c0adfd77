package io.lvs.operator.apply;

import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.operator.diff.NodeStateChange;

/** Makes one slice write (see {@link NodeStateWriter}). */
public interface SliceWriter {
  /** @return the object the API server returned, null for a delete */
  LvsNodeState write(NodeStateChange change);
}
