package io.lvs.operator.sync;

import io.lvs.operator.plan.ClusterPlan;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The last plan written, for status; publishing one tells the listener which VirtualServices it
 * changed: outcome changed, gone, or entries written that their agents have not seen yet.
 */
final class PublishedPlan implements PlannedState {
  private final OutcomeListener listener;
  private volatile ClusterPlan latest;
  private volatile Map<String, Map<String, String>> sliceOfOwner = Map.of();

  PublishedPlan(OutcomeListener listener) {
    this.listener = listener;
  }

  @Override
  public Optional<ClusterPlan.Outcome> outcome(String key) {
    ClusterPlan plan = latest;
    return plan == null ? Optional.empty() : Optional.ofNullable(plan.services().get(key));
  }

  @Override
  public Optional<String> sliceOf(String node, String owner) {
    return Optional.ofNullable(sliceOfOwner.getOrDefault(node, Map.of()).get(owner));
  }

  @Override
  public Set<String> ownersOn(String node) {
    return sliceOfOwner.getOrDefault(node, Map.of()).keySet();
  }

  /** @param written owners whose entries this run wrote */
  void publish(ClusterPlan plan, Map<String, Map<String, String>> slices, Set<String> written) {
    ClusterPlan previous = latest;
    sliceOfOwner = slices;
    latest = plan;
    Set<String> changed = new HashSet<>(written);
    changed.addAll(changedOutcomes(previous, plan));
    if (!changed.isEmpty()) {
      listener.outcomesChanged(changed);
    }
  }

  static Set<String> changedOutcomes(ClusterPlan before, ClusterPlan after) {
    Map<String, ClusterPlan.Outcome> was = before == null ? Map.of() : before.services();
    Set<String> out = new HashSet<>();
    after.services().forEach((k, is) -> {
      ClusterPlan.Outcome w = was.get(k);
      if (w != is && !Objects.equals(w, is)) { // the planner hands back the same object when unchanged
        out.add(k);
      }
    });
    was.keySet().forEach(k -> {
      if (!after.services().containsKey(k)) {
        out.add(k);
      }
    });
    return out;
  }
}
