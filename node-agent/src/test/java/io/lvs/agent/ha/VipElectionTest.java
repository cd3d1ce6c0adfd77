package io.lvs.agent.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.ha.Decision.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The election on a simulated pair of directors, one clock: every tick asserts at most one holder. */
class VipElectionTest {
  private final SimulatedDirectors sim = new SimulatedDirectors(ElectionTimings.DEFAULT);
  private final ElectionTimings t = ElectionTimings.DEFAULT;

  /** Ticks until {@code done} or {@code max} passes; fails on any tick with two holders. */
  private Duration runUntil(BooleanSupplier done, Duration max) {
    Instant start = sim.now;
    while (!done.getAsBoolean()) {
      assertThat(Duration.between(start, sim.now)).as("waited").isLessThanOrEqualTo(max);
      sim.tick();
      assertThat(sim.holders()).as("directors holding the VIP at %s", sim.now).isLessThanOrEqualTo(1);
    }
    return Duration.between(start, sim.now);
  }

  private void runFor(Duration d) {
    Instant end = sim.now.plus(d);
    runUntil(() -> !sim.now.isBefore(end), d);
  }

  private void electD1() {
    sim.add("d1", "d1", true);
    sim.add("d2", "d1", true);
    runUntil(() -> "d1".equals(sim.holder()), Duration.ofSeconds(2));
    runFor(Duration.ofSeconds(3)); // peers heard, API reachable long enough to count
  }

  @Test
  void theFirstElectionPicksThePreferredDirector() {
    sim.add("d1", "d2", true);
    sim.add("d2", "d2", true);
    runUntil(() -> sim.holder() != null, Duration.ofSeconds(2));
    assertThat(sim.holder()).isEqualTo("d2");
    assertThat(sim.stored().holder()).isEqualTo("d2");
  }

  @Test
  void aDeadHolderIsReplacedOnceItsLeaseExpires() {
    electD1();
    sim.nodes.get("d1").alive = false;
    Duration gap = runUntil(() -> "d2".equals(sim.holder()), Duration.ofSeconds(10));
    // the standby waits out the Lease, counted from the last renewal it saw
    assertThat(gap).isBetween(t.leaseDuration().minus(t.retryPeriod()), t.leaseDuration().plus(sim.heartbeat));
    assertThat(sim.stored().holder()).isEqualTo("d2");
  }

  @Test
  void aHolderCutFromTheApiServerGivesTheVipUpBeforeTheStandbyTakesIt() {
    electD1();
    sim.nodes.get("d1").apiLink = false;
    Duration dropped = runUntil(() -> sim.holder() == null, Duration.ofSeconds(5));
    // renewDeadline, and one retryPeriod more while its peer is heard (its word may be on the way)
    assertThat(dropped).isLessThanOrEqualTo(t.renewDeadline().plus(t.retryPeriod()).plus(sim.tick));
    assertThat(sim.nodes.get("d1").last.reason()).isEqualTo(Reason.FENCED);
    Duration taken = runUntil(() -> "d2".equals(sim.holder()), Duration.ofSeconds(5));
    assertThat(dropped.plus(taken)).isLessThanOrEqualTo(t.leaseDuration().plus(sim.tick));
    runFor(Duration.ofSeconds(10)); // d1 stays cut off: it must not come back
    assertThat(sim.holder()).isEqualTo("d2");
  }

  @Test
  void anApiServerOutageSeenByEveryDirectorMovesNothing() {
    electD1();
    sim.nodes.values().forEach(n -> n.apiLink = false);
    List<Reason> reasons = new ArrayList<>();
    Instant end = sim.now.plusSeconds(30);
    runUntil(() -> {
      assertThat(sim.holder()).as("holder at %s", sim.now).isEqualTo("d1");
      reasons.add(sim.nodes.get("d1").last.reason());
      return !sim.now.isBefore(end);
    }, Duration.ofSeconds(31));
    assertThat(reasons).contains(Reason.HOLDING_THROUGH_API_OUTAGE);
    String version = sim.stored().version();
    sim.nodes.values().forEach(n -> n.apiLink = true);
    runUntil(() -> {
      assertThat(sim.holder()).as("holder at %s", sim.now).isEqualTo("d1");
      return !sim.now.isBefore(end.plusSeconds(10));
    }, Duration.ofSeconds(11));
    assertThat(sim.stored().version()).as("renewed after the outage").isNotEqualTo(version);
    assertThat(sim.stored().holder()).isEqualTo("d1");
  }

  @Test
  void anOutageWithASilentPeerFences() {
    electD1();
    sim.nodes.values().forEach(n -> n.apiLink = false);
    sim.nodes.get("d2").dataLink = false; // d1 cannot know d2 will not take the Lease
    Duration dropped = runUntil(() -> sim.holder() == null, Duration.ofSeconds(5));
    assertThat(dropped).isLessThanOrEqualTo(t.renewDeadline().plus(t.peerTimeout()).plus(sim.tick));
    assertThat(sim.nodes.get("d1").last.reason()).isEqualTo(Reason.FENCED);
  }

  @Test
  void aHolderCutFromItsPeersOnlyKeepsTheVip() {
    electD1();
    sim.nodes.get("d1").dataLink = false;
    runFor(Duration.ofSeconds(15));
    assertThat(sim.holder()).isEqualTo("d1");
  }

  @Test
  void withPreemptionThePreferredDirectorTakesTheVipBack() {
    electD1();
    sim.nodes.get("d1").alive = false;
    runUntil(() -> "d2".equals(sim.holder()), Duration.ofSeconds(10));
    sim.restart("d1", "d1", true);
    runUntil(() -> "d1".equals(sim.holder()), Duration.ofSeconds(10));
    assertThat(sim.nodes.get("d2").last.reason()).isIn(Reason.PREEMPTED, Reason.STANDBY);
    assertThat(sim.nodes.get("d2").election.holder()).isFalse();
  }

  @Test
  void withoutPreemptionThePreferredDirectorStaysStandby() {
    sim.add("d1", "d1", false);
    sim.add("d2", "d1", false);
    runUntil(() -> "d1".equals(sim.holder()), Duration.ofSeconds(2));
    runFor(Duration.ofSeconds(3));
    sim.nodes.get("d1").alive = false;
    runUntil(() -> "d2".equals(sim.holder()), Duration.ofSeconds(10));
    sim.restart("d1", "d1", false);
    runFor(Duration.ofSeconds(20));
    assertThat(sim.holder()).isEqualTo("d2");
    assertThat(sim.nodes.get("d1").last.reason()).isEqualTo(Reason.STANDBY);
  }

  @Test
  void aStandbyDoesNotTakeAnExpiredLeaseWhileAPeerSaysItHoldsTheVip() {
    Peers peers = new Peers("d2");
    peers.name(java.util.Set.of("d1", "d2"));
    ApiReachability api = new ApiReachability();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    api.succeeded(t0);
    VipElection e = new VipElection("198.18.0.100", "d2", null, true, t, peers, api);
    e.observed(new LeaseView("d1", "7"), t0);
    Instant later = t0.plusSeconds(10);
    peers.heard(new PeerView(new PeerReport("d1", 5, -1, java.util.Set.of("198.18.0.100")), later));
    assertThat(e.step(later).lease()).isEqualTo(Decision.LeaseAction.NONE);
    // the same, once d1's heartbeat is stale: the Lease is expired, d2 takes it
    Instant stale = later.plus(t.peerTimeout()).plusMillis(1);
    assertThat(e.step(stale).lease()).isEqualTo(Decision.LeaseAction.ACQUIRE);
  }

  @Test
  void aStandbyJustBackOnTheApiServerWaitsALeaseDurationBeforeTakingAnything() {
    Peers peers = new Peers("d2");
    ApiReachability api = new ApiReachability();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    VipElection e = new VipElection("198.18.0.100", "d2", null, true, t, peers, api);
    e.observed(new LeaseView("d1", "7"), t0);
    Instant back = t0.plusSeconds(30);
    api.succeeded(back);
    assertThat(e.step(back).lease()).isEqualTo(Decision.LeaseAction.NONE);
    assertThat(e.step(back.plus(t.leaseDuration()).minusMillis(1)).lease()).isEqualTo(Decision.LeaseAction.NONE);
    assertThat(e.step(back.plus(t.leaseDuration())).lease()).isEqualTo(Decision.LeaseAction.ACQUIRE);
  }

  @Test
  void aStandbyCountsExpiryFromTheRenewalTheHolderReportedWhenItIsTheVersionItRead() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Instant expired = t0.plus(t.leaseDuration()); // d1's heartbeat (t0 + 100 ms) is stale by then
    // d1 renewed to version 7 at t0 and said so 100 ms later; d2's read saw version 7 only at t0 + 400 ms
    assertThat(standbyAfterRenewalReport("7").step(expired).lease()).isEqualTo(Decision.LeaseAction.ACQUIRE);
    assertThat(standbyAfterRenewalReport("7").expiry()).contains(new VipElection.LastRenewal(expired, true));
    // a report of another version says nothing of the one read: expiry from the read
    VipElection other = standbyAfterRenewalReport("6");
    assertThat(other.expiry()).contains(new VipElection.LastRenewal(t0.plusMillis(400).plus(t.leaseDuration()), false));
    assertThat(other.step(expired).lease()).isEqualTo(Decision.LeaseAction.NONE);
    assertThat(other.step(t0.plusMillis(400).plus(t.leaseDuration())).lease()).isEqualTo(Decision.LeaseAction.ACQUIRE);
  }

  @Test
  void aStandbyDatesALeaseWrittenByARenewalStillInFlightFromTheHeartbeatNamingThatWrite() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    // d1 sent write "w-9" at t0 and said so 50 ms later, then died before its answer came; the API
    // server had taken it: d2 reads the Lease it made only at t0 + 400 ms
    for (String named : new String[] {"w-9", "w-8"}) {
      VipElection e = standbyHearing(new PeerReport("d1", 5, 10_000, java.util.Set.of("198.18.0.100"),
          java.util.Map.of("198.18.0.100", new PeerReport.Renewal("6", 300)),
          java.util.Map.of("198.18.0.100", new PeerReport.Renewal(named, 50))), t0.plusMillis(50),
          new LeaseView("d1", "7", "w-9"));
      Instant expired = t0.plus(t.leaseDuration());
      if (named.equals("w-9")) {
        assertThat(e.expiry()).contains(new VipElection.LastRenewal(expired, true));
        assertThat(e.step(expired).lease()).isEqualTo(Decision.LeaseAction.ACQUIRE);
      } else {
        // a token names one write: the heartbeat of another says nothing of this version
        assertThat(e.expiry()).contains(new VipElection.LastRenewal(expired.plusMillis(400), false));
        assertThat(e.step(expired).lease()).isEqualTo(Decision.LeaseAction.NONE);
      }
    }
  }

  private VipElection standbyAfterRenewalReport(String reportedVersion) {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    return standbyHearing(new PeerReport("d1", 5, 10_000, java.util.Set.of("198.18.0.100"),
        java.util.Map.of("198.18.0.100", new PeerReport.Renewal(reportedVersion, 100))), t0.plusMillis(100),
        new LeaseView("d1", "7"));
  }

  /** d2 as standby, reaching the API server for 10 s, that heard {@code report} and then read {@code lease} at t0 + 400 ms. */
  private VipElection standbyHearing(PeerReport report, Instant heardAt, LeaseView lease) {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Peers peers = new Peers("d2");
    peers.name(java.util.Set.of("d1", "d2"));
    ApiReachability api = new ApiReachability();
    api.succeeded(t0.minusSeconds(10));
    VipElection e = new VipElection("198.18.0.100", "d2", null, true, t, peers, api);
    e.step(t0.minusSeconds(10));
    peers.heard(new PeerView(report, heardAt));
    e.observed(lease, t0.plusMillis(400));
    return e;
  }

  @Test
  void atItsDeadlineAHolderWaitsOneRetryPeriodForItsPeersWordOnTheOutage() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (boolean word : new boolean[] {true, false}) {
      Peers peers = new Peers("d1");
      peers.name(java.util.Set.of("d1", "d2"));
      ApiReachability api = new ApiReachability();
      api.succeeded(t0.minusSeconds(10));
      VipElection e = new VipElection("198.18.0.100", "d1", null, true, t, peers, api);
      e.step(t0.minusSeconds(10));
      e.written(new LeaseView("d1", "7"), t0); // the last renewal before the API server went away
      api.failed();
      peers.heard(new PeerView(new PeerReport("d2", 1, 60_000, java.util.Set.of()), t0.plus(t.renewDeadline()).minusMillis(100)));
      Instant deadline = t0.plus(t.renewDeadline());
      assertThat(e.step(deadline).reason()).as("at the deadline, d2 heard").isEqualTo(Reason.HOLDING);
      if (word) { // d2's heartbeat saying it lost the API server too, just after the deadline
        peers.heard(new PeerView(new PeerReport("d2", 2, PeerReport.UNREACHABLE, java.util.Set.of()), deadline.plusMillis(100)));
        assertThat(e.step(deadline.plusMillis(100)).reason()).isEqualTo(Reason.HOLDING_THROUGH_API_OUTAGE);
        assertThat(e.step(deadline.plus(t.retryPeriod()).plusMillis(100)).holdVip()).isTrue();
      } else {
        assertThat(e.step(deadline.plus(t.retryPeriod())).reason()).isEqualTo(Reason.FENCED);
      }
    }
  }
}
