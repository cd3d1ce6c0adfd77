package io.lvs.operator.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MemberDrainerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(30);
  private final MemberDrainer drainer = new MemberDrainer();

  private static Map<MemberKey, Member> members(Member... ms) {
    Map<MemberKey, Member> out = new TreeMap<>();
    for (Member m : ms) {
      out.put(m.key(), m);
    }
    return out;
  }

  private static Member m(String ip, boolean ready) {
    return new Member(ip, 80, 5, MemberSource.SERVICE, "n1", ready, false);
  }

  @Test
  void aMemberThatLeavesIsDrainedAtWeightZeroForTheGracePeriodThenRemoved() {
    var s1 = drainer.step(members(m("10.0.0.1", true), m("10.0.0.2", true)), DrainState.empty(), T0, GRACE);
    assertThat(s1.members()).extracting(Member::effectiveWeight).containsExactly(5, 5);
    assertThat(s1.nextExpiry()).isEmpty();

    // 10.0.0.2 turns terminating (not ready) at t=10s
    var s2 = drainer.step(members(m("10.0.0.1", true), m("10.0.0.2", false)), s1.state(), T0.plusSeconds(10), GRACE);
    assertThat(s2.members()).extracting(Member::address, Member::draining, Member::effectiveWeight)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("10.0.0.1", false, 5),
            org.assertj.core.groups.Tuple.tuple("10.0.0.2", true, 0));
    assertThat(s2.nextExpiry()).contains(T0.plusSeconds(40));

    // it disappears from the slice at t=20s: still drained, from the same start
    var s3 = drainer.step(members(m("10.0.0.1", true)), s2.state(), T0.plusSeconds(20), GRACE);
    assertThat(s3.members()).extracting(Member::address).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(s3.nextExpiry()).contains(T0.plusSeconds(40));

    var s4 = drainer.step(members(m("10.0.0.1", true)), s3.state(), T0.plusSeconds(39), GRACE);
    assertThat(s4.members()).hasSize(2);
    var s5 = drainer.step(members(m("10.0.0.1", true)), s4.state(), T0.plusSeconds(40), GRACE);
    assertThat(s5.members()).extracting(Member::address).containsExactly("10.0.0.1");
    assertThat(s5.nextExpiry()).isEmpty();
  }

  @Test
  void aMemberThatComesBackDuringTheDrainServesAgain() {
    var s1 = drainer.step(members(m("10.0.0.1", true)), DrainState.empty(), T0, GRACE);
    var s2 = drainer.step(members(m("10.0.0.1", false)), s1.state(), T0.plusSeconds(1), GRACE);
    assertThat(s2.members()).extracting(Member::draining).containsExactly(true);
    var s3 = drainer.step(members(m("10.0.0.1", true)), s2.state(), T0.plusSeconds(2), GRACE);
    assertThat(s3.members()).extracting(Member::draining, Member::effectiveWeight).containsExactly(
        org.assertj.core.groups.Tuple.tuple(false, 5));
    assertThat(s3.state().draining()).isEmpty();
  }

  @Test
  void aMemberThatNeverServedIsNotAddedJustToBeDrained() {
    var s = drainer.step(members(m("10.0.0.1", false)), DrainState.empty(), T0, GRACE);
    assertThat(s.members()).isEmpty();
  }

  @Test
  void zeroGraceRemovesAtOnce() {
    var s1 = drainer.step(members(m("10.0.0.1", true)), DrainState.empty(), T0, Duration.ZERO);
    var s2 = drainer.step(members(), s1.state(), T0, Duration.ZERO);
    assertThat(s2.members()).isEmpty();
  }
}
