package io.lvs.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.lvs.api.v1alpha1.DirectorHealth;
import io.lvs.api.v1alpha1.NodeSummary;
import io.lvs.api.v1alpha1.ResolvedRealServer;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.api.v1alpha1.VirtualServiceStatus;
import io.lvs.operator.plan.ClusterPlan;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A VirtualService's status from the plan's outcome, its members and the agents' tally. Ready is
 * True only when it is valid, holds its addresses, has a ready real server, every node reported
 * it programmed, and none reported an error.
 */
public final class VirtualServiceStatusBuilder {
  private VirtualServiceStatusBuilder() {}

  /** Why a VirtualService is not planned at all: invalid spec or missing pool. */
  public record Problem(String reason, String message) {}

  public static VirtualServiceStatus build(
      VirtualServiceSpec spec,
      long generation,
      VirtualServiceStatus previous,
      Problem problem,
      ClusterPlan.Outcome outcome,
      List<Member> members,
      NodeReports.Tally tally,
      Instant now) {
    return build(spec, generation, previous, problem, outcome, members, tally, Map.of(), now);
  }

  /**
   * With the directors' health checks per member ({@link MemberHealthReports}): a member failing
   * on any director is not ready, and Degraded says MembersUnhealthy (Ready holds while others serve).
   */
  public static VirtualServiceStatus build(
      VirtualServiceSpec spec,
      long generation,
      VirtualServiceStatus previous,
      Problem problem,
      ClusterPlan.Outcome outcome,
      List<Member> members,
      NodeReports.Tally tally,
      Map<MemberKey, List<DirectorHealth>> health,
      Instant now) {
    Conditions c = new Conditions(previous == null ? null : previous.conditions(), generation, now);
    String ports = ports(spec);
    if (problem != null) {
      c.set(Conditions.READY, false, problem.reason(), problem.message())
          .set(Conditions.PROGRAMMED, false, problem.reason(), problem.message())
          .set(Conditions.DEGRADED, false, "NoErrors", "no node reported an error")
          .set(Conditions.CONFLICT, false, "NoConflict", "no other VirtualService claims these addresses");
      return new VirtualServiceStatus(generation, c.build(), ports, null, List.of(), null);
    }
    List<ResolvedRealServer> rs = realServers(members, health);
    long ready = rs.stream().filter(r -> r.ready() && r.draining() == null).count();
    List<String> failing = MemberHealthReports.failing(health);
    String readyText = ready + "/" + members.size();
    if (outcome != null && outcome.conflict() != null) {
      c.set(Conditions.READY, false, "Conflict", outcome.conflict())
          .set(Conditions.PROGRAMMED, false, "Conflict", "not programmed: " + outcome.conflict())
          .set(Conditions.DEGRADED, false, "NoErrors", "no node reported an error")
          .set(Conditions.CONFLICT, true, "AddressInUse", outcome.conflict());
      return new VirtualServiceStatus(generation, c.build(), ports, readyText, rs, null);
    }
    List<String> directors = outcome == null ? List.of() : outcome.directors();
    NodeSummary nodes =
        new NodeSummary(
            tally.programmed(), tally.total(), tally.summary(), outcome == null ? null : outcome.vipHolder(),
            tally.errors().isEmpty() ? null : tally.errors());
    boolean allProgrammed = tally.total() > 0 && tally.programmed() == tally.total();
    c.set(
        Conditions.PROGRAMMED,
        allProgrammed,
        allProgrammed ? "AllNodesProgrammed" : directors.isEmpty() ? "NoDirectors" : "NodesPending",
        directors.isEmpty() ? "no ready node matches spec.directors.nodeSelector" : tally.summary());
    boolean degraded = degraded(c, tally, failing);
    c.set(Conditions.CONFLICT, false, "NoConflict", "no other VirtualService claims these addresses");
    if (directors.isEmpty()) {
      c.set(Conditions.READY, false, "NoDirectors", "no ready node matches spec.directors.nodeSelector");
    } else if (degraded) {
      c.set(Conditions.READY, false, "Degraded", "see condition Degraded");
    } else if (ready == 0) {
      c.set(Conditions.READY, false, "NoReadyRealServers", "0/" + members.size() + " real servers ready");
    } else if (!allProgrammed) {
      c.set(Conditions.READY, false, "Programming", tally.summary() + " programmed");
    } else {
      c.set(Conditions.READY, true, "Ready", readyText + " real servers ready on " + tally.summary());
    }
    return new VirtualServiceStatus(generation, c.build(), ports, readyText, rs, nodes);
  }

  /** The members as status shows them: a member failing its health check on any director is not ready. */
  private static List<ResolvedRealServer> realServers(List<Member> members, Map<MemberKey, List<DirectorHealth>> health) {
    return members.stream()
        .map(m -> {
          String h = MemberHealthReports.overall(health.get(m.key()));
          boolean failing = MemberHealthReports.UNHEALTHY.equals(h);
          return new ResolvedRealServer(m.address(), m.port(), m.effectiveWeight(), m.node(), m.ready() && !failing,
              m.draining() ? Boolean.TRUE : null, h);
        })
        .toList();
  }

  /** Sets Degraded: node errors first, then members failing health checks; true for node errors only. */
  private static boolean degraded(Conditions c, NodeReports.Tally tally, List<String> failing) {
    boolean degraded = !tally.errors().isEmpty();
    if (degraded) {
      c.set(Conditions.DEGRADED, true, "NodeError",
          tally.errors().stream().map(e -> e.node() + ": " + e.message()).collect(Collectors.joining("; ")));
    } else if (!failing.isEmpty()) {
      c.set(Conditions.DEGRADED, true, "MembersUnhealthy",
          "excluded by health checks (weight 0 on those directors): " + String.join("; ", failing));
    } else {
      c.set(Conditions.DEGRADED, false, "NoErrors", "no node reported an error");
    }
    return degraded;
  }

  static String ports(VirtualServiceSpec spec) {
    if (spec.fwmark() != null) {
      return "fwmark " + spec.fwmark();
    }
    if (spec.ports() == null) {
      return null;
    }
    return spec.ports().stream()
        .map(p -> p.port() + "/" + (p.protocol() == null ? "TCP" : p.protocol()))
        .collect(Collectors.joining(","));
  }

  /** The status of a VirtualService whose pool does not exist: Ready names the missing pool. */
  public static VirtualServiceStatus poolMissing(VirtualServiceStatus s, VirtualService vs) {
    String msg = "spec.realServerPoolRef: RealServerPool " + vs.getMetadata().getNamespace() + "/"
        + vs.getSpec().realServerPoolRef().name() + " not found";
    List<Condition> conds = s.conditions().stream()
        .map(c -> Conditions.READY.equals(c.getType())
            ? new ConditionBuilder(c).withReason("PoolNotFound").withMessage(msg).build()
            : c)
        .toList();
    return new VirtualServiceStatus(s.observedGeneration(), conds, s.ports(), s.readyRealServers(), s.realServers(), s.nodes());
  }
}
