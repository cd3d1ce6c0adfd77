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

  /**
   * This report without what went well: the plan keeps only the operations that failed or were
   * skipped (and its conflicts), the results only theirs; the owned set stays. What outlives a
   * sync once its status and metrics are built: a first sync's report lists every object of
   * the table (at 10,000 services, 110,000 results and as many operations).
   */
  public ApplyReport problemsOnly() {
    List<OperationResult> problems = problems();
    if (problems.size() == results.size() && plan.forget().isEmpty()) {
      return this;
    }
    return new ApplyReport(new Plan(problems.stream().map(OperationResult::operation).toList(), plan.conflicts(),
        List.of()), problems, owned);
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
