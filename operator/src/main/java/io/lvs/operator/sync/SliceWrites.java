package io.lvs.operator.sync;

import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.operator.apply.ClusterView;
import io.lvs.operator.apply.ProgrammingLedger;
import io.lvs.operator.apply.SliceWriter;
import io.lvs.operator.diff.NodeStateChange;
import io.lvs.operator.diff.OwnerChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes one run's slice writes and records what they changed: the cache learns each written object
 * before its watch event, and the ledger the generation at which each owner's entries changed (an
 * agent report counts for an owner once it has seen that generation).
 */
final class SliceWrites {
  private final SliceWriter writer;
  private final ClusterView view;
  private final ProgrammingLedger ledger;
  private final ParallelWrites parallel;

  SliceWrites(SliceWriter writer, ClusterView view, ProgrammingLedger ledger, ParallelWrites parallel) {
    this.writer = writer;
    this.view = view;
    this.ledger = ledger;
    this.parallel = parallel;
  }

  /** @return the owners whose entries the writes changed: the agents have not seen them yet */
  Set<String> write(List<NodeStateChange> changes) {
    Set<String> owners = ConcurrentHashMap.newKeySet();
    List<Runnable> writes = new ArrayList<>(changes.size());
    for (NodeStateChange c : changes) {
      LvsNodeState before = view.nodeState(c.name()).orElse(null);
      writes.add(() -> {
        LvsNodeState after = writer.write(c);
        view.written(before, after);
        if (after != null && after.getMetadata().getGeneration() != null) {
          Set<String> changed = OwnerChanges.between(before == null ? null : before.getSpec(), after.getSpec());
          ledger.record(c.name(), changed, after.getMetadata().getGeneration());
          owners.addAll(changed);
        }
      });
    }
    parallel.run(writes);
    return owners;
  }
}
