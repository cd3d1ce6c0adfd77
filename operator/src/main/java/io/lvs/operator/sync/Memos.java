package io.lvs.operator.sync;

/**
 * Which of the sync's memos are on: all of them in the operator; none in the reference that
 * {@code NodeStateSyncDifferentialTest} compares the operator's sync with; one off at a time in
 * {@code SyncMemoBenchmarkTest}, which measures what each buys (docs/benchmarks.md).
 *
 * @param inputs {@link ServiceInputs} reuses an input made from the very same objects
 * @param planner one planner across runs, keeping its fragments, decisions and node parts (off: a
 *     new planner per run)
 * @param slicing {@code NodeSlicing} keeps an unchanged node's slicing and slice specs
 * @param sliceChanges {@code SliceChanges} does not compare again a slice found equal before
 */
record Memos(boolean inputs, boolean planner, boolean slicing, boolean sliceChanges) {
  static final Memos ALL = new Memos(true, true, true, true);
  static final Memos NONE = new Memos(false, false, false, false);
}
