package io.lvs.operator.apply;

import io.lvs.api.v1alpha1.ConnectionLimits;
import io.lvs.api.v1alpha1.MemberStatus;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.plan.ServiceInput;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberSource;
import io.lvs.operator.validate.SpecValidation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A VirtualService and its pool as the planner takes them. Members come from the pool's status:
 * the resolution the pool controller published, so a restarted operator plans from what was
 * resolved before instead of from an empty cache (no destinations vanish on a restart).
 */
public final class PlanInputs {
  private static final java.util.Map<String, MemberSource> SOURCES =
      java.util.Arrays.stream(MemberSource.values())
          .collect(java.util.stream.Collectors.toUnmodifiableMap(MemberSource::field, s -> s));

  private PlanInputs() {}

  public static String key(VirtualService vs) {
    return vs.getMetadata().getNamespace() + "/" + vs.getMetadata().getName();
  }

  public static ServiceInput of(VirtualService vs, Optional<RealServerPool> pool, SpecValidation validation) {
    return of(vs, pool, pool.map(PlanInputs::members).orElse(List.of()), validation);
  }

  /** With the pool's members as resolved (see {@link ResolvedPools}). */
  public static ServiceInput of(
      VirtualService vs, Optional<RealServerPool> pool, List<Member> members, SpecValidation validation) {
    boolean active =
        vs.getMetadata().getDeletionTimestamp() == null
            && vs.getSpec() != null
            && validation.validate(vs.getSpec()).isEmpty();
    ConnectionLimits limits = pool.map(p -> p.getSpec().connectionLimits()).orElse(null);
    String created = vs.getMetadata().getCreationTimestamp();
    return new ServiceInput(
        key(vs),
        vs.getSpec(),
        created == null ? Instant.EPOCH : Instant.parse(created),
        members,
        limits == null ? null : limits.upper(),
        limits == null ? null : limits.lower(),
        pool.map(p -> p.getSpec().healthCheck()).orElse(null),
        active);
  }

  /** The members a pool's status publishes (serving and draining). */
  public static List<Member> members(RealServerPool pool) {
    if (pool.getStatus() == null || pool.getStatus().members() == null) {
      return List.of();
    }
    return pool.getStatus().members().stream().map(PlanInputs::member).toList();
  }

  static Member member(MemberStatus m) {
    MemberSource source = SOURCES.getOrDefault(m.source() == null ? "" : m.source(), MemberSource.STATIC);
    return new Member(
        m.address(), m.port(), m.weight() == null ? 1 : m.weight(), source, m.node(),
        Boolean.TRUE.equals(m.ready()), Boolean.TRUE.equals(m.draining()));
  }
}
