package io.lvs.operator.status;

import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.NodeError;
import io.lvs.api.v1alpha1.OwnerReport;
import io.lvs.api.v1alpha1.PodNamespaceReport;
import io.lvs.api.v1alpha1.ServiceReport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * What the agents said about one owner on the nodes that must program it. A node counts as
 * programmed only when its agent has observed the generation that last changed this owner's
 * entries (see ProgrammingLedger) and reported the owner programmed; an older report is pending,
 * not success.
 */
public final class NodeReports {
  private NodeReports() {}

  /**
   * Programmed nodes, nodes expected, per-node errors (sorted by node), and the pod real servers'
   * namespaces as their agents reported them, by pod IP.
   */
  public record Tally(int programmed, int total, List<NodeError> errors, Map<String, PodNamespaceReport> pods) {
    public Tally {
      pods = pods == null ? Map.of() : Map.copyOf(pods);
    }

    /** Without pod real servers. */
    public Tally(int programmed, int total, List<NodeError> errors) {
      this(programmed, total, errors, Map.of());
    }

    public String summary() {
      return programmed + "/" + total + " nodes";
    }
  }

  /** Programmed nodes for the owner; a report counts once it observed {@code since(node)}. */
  public static Tally tally(
      String owner, Collection<String> nodes, Map<String, LvsNodeState> states, ToLongFunction<String> since) {
    int programmed = 0;
    List<NodeError> errors = new ArrayList<>();
    Map<String, PodNamespaceReport> pods = new java.util.TreeMap<>();
    for (String n : nodes.stream().sorted().toList()) {
      LvsNodeState st = states.get(n);
      if (st == null || st.getStatus() == null) {
        continue;
      }
      Long seen = st.getStatus().observedGeneration();
      if (seen == null || seen < since.applyAsLong(n)) {
        continue;
      }
      OwnerReport report = ownerReport(st, owner);
      if (report == null) {
        continue;
      }
      if (report.podNamespaces() != null) {
        report.podNamespaces().forEach(p -> pods.put(p.podIp(), p));
      }
      List<String> errs = new ArrayList<>(report.errors() == null ? List.of() : report.errors());
      if (st.getStatus().services() != null) {
        for (ServiceReport s : st.getStatus().services()) {
          if (owner.equals(s.owner()) && s.error() != null && !errs.contains(s.error())) {
            errs.add(s.service() == null ? s.error() : s.service() + ": " + s.error());
          }
        }
      }
      if (!errs.isEmpty()) {
        errors.add(new NodeError(n, String.join("; ", errs)));
      } else if (Boolean.TRUE.equals(report.programmed())) {
        programmed++;
      }
    }
    return new Tally(programmed, nodes.size(), errors, pods);
  }

  /** The agent's report for this owner, or null when it reports nothing about it. */
  public static OwnerReport ownerReport(LvsNodeState st, String owner) {
    if (st.getStatus() == null || st.getStatus().owners() == null) {
      return null;
    }
    return st.getStatus().owners().stream().filter(o -> owner.equals(o.owner())).findFirst().orElse(null);
  }
}
