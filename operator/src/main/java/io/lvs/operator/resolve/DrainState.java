package io.lvs.operator.resolve;

import java.time.Instant;
import java.util.Map;

/**
 * What the drainer remembers about one pool between resolutions: the members that were serving
 * (so a member that leaves is recognised) and, for those draining, since when.
 */
public record DrainState(Map<MemberKey, Member> serving, Map<MemberKey, Draining> draining) {
  public DrainState {
    serving = Map.copyOf(serving);
    draining = Map.copyOf(draining);
  }

  /** A member on its way out, as last seen, and when it started draining. */
  public record Draining(Member member, Instant since) {}

  public static DrainState empty() {
    return new DrainState(Map.of(), Map.of());
  }
}
