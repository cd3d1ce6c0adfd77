package io.lvs.operator.nodeconfig;

import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.LvsNodeConfigStatus;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.NodeConfigReport;
import io.lvs.api.v1alpha1.TimeoutsReport;
import io.lvs.operator.status.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * An LvsNodeConfig's status: per selected node Applied (its agent reports this configuration's
 * timeouts in the kernel, for the slice generation that carries them), Failed (its agent's
 * error), Pending or Conflict (another configuration selects it too); conditions Applied and
 * Conflict, the second naming the other configuration and the node. Pure.
 */
public final class NodeConfigStatusBuilder {
  public static final String APPLIED = "Applied";
  /** Messages list at most this many conflicting nodes (the per-node list has them all). */
  private static final int MAX_NAMED = 5;

  private NodeConfigStatusBuilder() {}

  /**
   * @param problems what is wrong with the spec (schema and CEL), empty when valid
   * @param outcome what the resolution decided for this configuration (null when invalid)
   * @param firstSlice a node's first LvsNodeState slice, by node name
   */
  public static LvsNodeConfigStatus build(LvsNodeConfig config, List<String> problems,
      NodeConfigResolver.ConfigOutcome outcome, Function<String, Optional<LvsNodeState>> firstSlice, Instant now) {
    String name = config.getMetadata().getName();
    long generation = config.getMetadata().getGeneration() == null ? 0 : config.getMetadata().getGeneration();
    Conditions conditions = new Conditions(config.getStatus() == null ? null : config.getStatus().conditions(), generation, now);
    if (!problems.isEmpty() || outcome == null) {
      conditions.set(APPLIED, false, "InvalidSpec", String.join("; ", problems));
      conditions.set(Conditions.CONFLICT, false, "NoConflict", "an invalid configuration selects no node");
      return new LvsNodeConfigStatus(generation, conditions.build(), 0, 0, List.of());
    }
    List<NodeConfigReport> nodes = new ArrayList<>();
    int applied = 0;
    int failed = 0;
    for (String node : outcome.nodes()) {
      NodeConfigReport r = outcome.conflicts().containsKey(node)
          ? new NodeConfigReport(node, "Conflict", "also selected by LvsNodeConfig " + String.join(", ", outcome.conflicts().get(node))
              + ": the node keeps its previous timeouts")
          : report(name, node, NodeConfigResolver.of(name, config.getSpec().timeouts()), firstSlice.apply(node));
      applied += r.state().equals("Applied") ? 1 : 0;
      failed += r.state().equals("Failed") ? 1 : 0;
      nodes.add(r);
    }
    int applying = outcome.nodes().size() - outcome.conflicts().size();
    if (outcome.nodes().isEmpty()) {
      conditions.set(APPLIED, false, "NoNodeSelected", "no node carries the labels " + config.getSpec().nodeSelector());
    } else if (failed > 0) {
      NodeConfigReport f = nodes.stream().filter(r -> r.state().equals("Failed")).findFirst().orElseThrow();
      conditions.set(APPLIED, false, "Failed", failed + " node(s) failed, e.g. " + f.node() + ": " + f.message());
    } else {
      conditions.set(APPLIED, applying > 0 && applied == applying, applied == applying ? "Applied" : "Pending",
          applied + "/" + applying + " nodes applied" + (outcome.conflicts().isEmpty() ? "" : ", " + outcome.conflicts().size() + " in conflict"));
    }
    if (outcome.conflicts().isEmpty()) {
      conditions.set(Conditions.CONFLICT, false, "NoConflict", "no node is selected by another LvsNodeConfig");
    } else {
      conditions.set(Conditions.CONFLICT, true, "SelectorOverlap", conflictMessage(outcome.conflicts()));
    }
    return new LvsNodeConfigStatus(generation, conditions.build(), outcome.nodes().size(), applied, List.copyOf(nodes));
  }

  /** "node a is also selected by LvsNodeConfig other; node b ..." */
  static String conflictMessage(Map<String, List<String>> conflicts) {
    List<String> parts = new ArrayList<>();
    conflicts.entrySet().stream().sorted(Map.Entry.comparingByKey()).limit(MAX_NAMED).forEach(e ->
        parts.add("node " + e.getKey() + " is also selected by LvsNodeConfig " + String.join(", ", e.getValue())));
    String more = conflicts.size() > MAX_NAMED ? "; and " + (conflicts.size() - MAX_NAMED) + " more nodes" : "";
    return String.join("; ", parts) + more + ": those nodes keep their previous timeouts";
  }

  private static NodeConfigReport report(String name, String node, Object wanted, Optional<LvsNodeState> slice) {
    if (slice.isEmpty() || slice.get().getSpec() == null || !Objects.equals(slice.get().getSpec().timeouts(), wanted)) {
      return new NodeConfigReport(node, "Pending", "not yet in the node's LvsNodeState");
    }
    LvsNodeState s = slice.get();
    Long observed = s.getStatus() == null ? null : s.getStatus().observedGeneration();
    TimeoutsReport t = s.getStatus() == null ? null : s.getStatus().timeouts();
    boolean current = observed != null && s.getMetadata().getGeneration() != null && observed >= s.getMetadata().getGeneration();
    if (!current || t == null || !name.equals(t.config())) {
      return new NodeConfigReport(node, "Pending", "waiting for the agent on " + node);
    }
    if (t.error() != null) {
      return new NodeConfigReport(node, "Failed", t.error());
    }
    return Boolean.TRUE.equals(t.applied())
        ? new NodeConfigReport(node, "Applied", null)
        : new NodeConfigReport(node, "Pending", "the kernel does not hold them yet");
  }
}
