package io.lvs.operator.status;

import io.lvs.api.v1alpha1.DirectorHealth;
import io.lvs.api.v1alpha1.MemberStatus;
import io.lvs.api.v1alpha1.RealServerPoolStatus;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A RealServerPool's status: the members it resolved (the planner's input, so it is the record of
 * what the operator decided), how many are ready, and Ready / Degraded conditions.
 */
public final class PoolStatusBuilder {
  private PoolStatusBuilder() {}

  public static RealServerPoolStatus build(
      long generation, RealServerPoolStatus previous, List<Member> members, List<String> errors, Instant now) {
    return build(generation, previous, members, errors, Map.of(), now);
  }

  /** With the directors' health checks per member ({@link MemberHealthReports}). */
  public static RealServerPoolStatus build(long generation, RealServerPoolStatus previous, List<Member> members,
      List<String> errors, Map<MemberKey, List<DirectorHealth>> health, Instant now) {
    long ready = members.stream().filter(m -> m.ready() && !m.draining()).count();
    long draining = members.stream().filter(Member::draining).count();
    long failing = members.stream()
        .filter(m -> MemberHealthReports.UNHEALTHY.equals(MemberHealthReports.overall(health.get(m.key())))).count();
    String readyText = ready + "/" + members.size();
    Conditions c = new Conditions(previous == null ? null : previous.conditions(), generation, now);
    String detail = readyText + " members ready" + (draining > 0 ? ", " + draining + " draining" : "")
        + (failing > 0 ? ", " + failing + " failing health checks" : "");
    c.set(Conditions.READY, ready > 0, ready > 0 ? "MembersReady" : "NoReadyMembers", detail);
    c.set(
        Conditions.DEGRADED,
        !errors.isEmpty(),
        errors.isEmpty() ? "Resolved" : "ResolutionFailed",
        errors.isEmpty() ? "all member sources resolved" : String.join("; ", errors));
    List<MemberStatus> out =
        members.stream()
            .map(m -> {
              List<DirectorHealth> h = health.get(m.key());
              return new MemberStatus(m.address(), m.port(), m.weight(), m.source().field(), m.node(), m.ready(),
                  MemberHealthReports.overall(h), m.draining() ? Boolean.TRUE : null,
                  h == null || h.isEmpty() ? null : h);
            })
            .toList();
    return new RealServerPoolStatus(generation, c.build(), readyText, out);
  }
}
