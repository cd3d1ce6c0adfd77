package io.lvs.agent.runtime;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import java.util.Objects;

/**
 * One LvsNodeState object of this node ("slice", see io.lvs.api.slices.NodeSlices) as the agent
 * applies it: its name (where its status goes), its metadata.generation (what that status reports
 * as observed) and its spec. A null spec is an empty one.
 */
public record NodeSlice(String name, long generation, LvsNodeStateSpec spec) {
  static final LvsNodeStateSpec EMPTY_SPEC = new LvsNodeStateSpec(null, null, null, null, null, null);

  public NodeSlice {
    Objects.requireNonNull(name, "name");
    spec = spec == null ? EMPTY_SPEC : spec;
  }
}
