package io.lvs.agent.apply;

import io.lvs.agent.dataplane.Conflict;
import io.lvs.agent.diff.Plan;
import io.lvs.agent.ownership.OwnedSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of one apply: the plan, each operation's result, the conflicts (objects left alone),
 * and the owned set as saved afterwards.
 */
public record ApplyReport(Plan plan, List<OperationResult> results, OwnedSet owned) {
  public ApplyReport {
    results = List.copyOf(results);
  }

  public List<Conflict> conflicts() {
    return plan.conflicts();
  }

  /** Operations that were not carried out: FAILED and SKIPPED. */
  public List<OperationResult> problems() {
    return results.stream().filter(r -> !r.succeeded()).toList();
  }

  public boolean fullySucceeded() {
    return problems().isEmpty() && conflicts().isEmpty();
  }

  /** How many kernel calls were attempted (skipped ones were not). */
  public long kernelOperations() {
    return results.stream().filter(r -> r.outcome() != OperationResult.Outcome.SKIPPED).count();
  }

  /** Problems and conflicts by owner ("namespace/name"), for the status of each VirtualService. */
  public Map<String, List<String>> problemsByOwner() {
    Map<String, List<String>> m = new TreeMap<>();
    for (OperationResult r : problems()) {
      for (String o : r.operation().owners()) {
        m.computeIfAbsent(o, k -> new ArrayList<>()).add(r.operation().object() + ": " + r.outcome() + ": " + r.error());
      }
    }
    for (Conflict c : conflicts()) {
      for (String o : c.owners()) {
        m.computeIfAbsent(o, k -> new ArrayList<>()).add(c.object() + ": CONFLICT: " + c.reason());
      }
    }
    return m;
  }
}
