package io.lvs.operator.resolve;

import io.lvs.api.v1alpha1.RealServerPoolSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns "who is ready now" into "who gets traffic": a member that was serving and is no longer
 * ready (not ready, terminating, or gone from every source) stays as a destination at weight 0 for
 * the grace period, so its open connections finish, and is removed after. A member that never
 * served is not added just to be drained. Pure: the caller supplies the time and keeps the state.
 */
public final class MemberDrainer {
  /** Default drain.gracePeriodSeconds. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

  /** The pool's drain.gracePeriodSeconds, or the default. */
  public static Duration grace(RealServerPoolSpec spec) {
    return spec.drain() == null || spec.drain().gracePeriodSeconds() == null
        ? DEFAULT_GRACE
        : Duration.ofSeconds(spec.drain().gracePeriodSeconds());
  }

  /** The members to program (serving and draining, sorted), the next state, and when to look again. */
  public record Result(List<Member> members, DrainState state, Optional<Instant> nextExpiry) {}

  public Result step(Map<MemberKey, Member> resolved, DrainState previous, Instant now, Duration grace) {
    Map<MemberKey, Member> serving = new HashMap<>();
    Map<MemberKey, DrainState.Draining> draining = new HashMap<>();
    for (Member m : resolved.values()) {
      if (m.ready()) {
        serving.put(m.key(), m);
      }
    }
    // Leaving members: served before (or were already draining) and are not ready now.
    Map<MemberKey, DrainState.Draining> leaving = new HashMap<>(previous.draining());
    previous.serving().forEach(
        (k, m) -> leaving.putIfAbsent(k, new DrainState.Draining(m.asDraining(), now)));
    Instant next = null;
    for (Map.Entry<MemberKey, DrainState.Draining> e : leaving.entrySet()) {
      if (serving.containsKey(e.getKey())) {
        continue; // back in service
      }
      Instant expiry = e.getValue().since().plus(grace);
      if (!now.isBefore(expiry)) {
        continue; // grace over: removed
      }
      Member current = resolved.get(e.getKey());
      Member shown = current != null ? current.asDraining() : e.getValue().member();
      draining.put(e.getKey(), new DrainState.Draining(shown, e.getValue().since()));
      next = next == null || expiry.isBefore(next) ? expiry : next;
    }
    List<Member> out = new ArrayList<>(serving.values());
    draining.values().forEach(d -> out.add(d.member()));
    out.sort((a, b) -> a.key().compareTo(b.key()));
    return new Result(out, new DrainState(serving, draining), Optional.ofNullable(next));
  }
}
