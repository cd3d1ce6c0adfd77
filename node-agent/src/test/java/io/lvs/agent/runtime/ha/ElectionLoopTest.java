package io.lvs.agent.runtime.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.ha.Decision.Reason;
import io.lvs.agent.ha.ElectionTimings;
import io.lvs.agent.ha.LeaseView;
import io.lvs.agent.ha.PeerReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The loop on an injected clock, with an in-memory Lease store and a recording interface. */
class ElectionLoopTest {
  static final String VIP = "198.18.0.100";
  Instant now = Instant.parse("2026-01-01T00:00:00Z");
  final List<String> ops = new ArrayList<>();
  boolean apiDown;
  boolean removeFails;
  int reads;
  LeaseView stored = LeaseView.ABSENT;
  final java.util.Map<String, LeaseView> others = new java.util.HashMap<>();
  long version;

  final ElectionPorts.Leases leases = new ElectionPorts.Leases() {
    @Override
    public LeaseView read(String vip) {
      reads++;
      if (apiDown) {
        throw new IllegalStateException("connection refused");
      }
      return VIP.equals(vip) ? stored : others.getOrDefault(vip, LeaseView.ABSENT);
    }

    @Override
    public Optional<LeaseView> write(String vip, LeaseView basis, String holder, Duration d, Instant wallNow,
        ElectionPorts.Takeover takeover, String token) {
      if (apiDown) {
        throw new IllegalStateException("connection refused");
      }
      if (!VIP.equals(vip)) { // the other VIPs of the many-VIP test
        if (!Objects.equals(basis.version(), others.getOrDefault(vip, LeaseView.ABSENT).version())) {
          return Optional.empty();
        }
        others.put(vip, new LeaseView(holder, Long.toString(++version)));
        return Optional.of(others.get(vip));
      }
      if (!Objects.equals(basis.version(), stored.version())) {
        return Optional.empty();
      }
      stored = new LeaseView(holder, Long.toString(++version), token);
      ops.add("lease " + (holder == null ? "released" : holder) + (takeover == null ? "" : " " + takeover));
      return Optional.of(stored);
    }
  };

  final ElectionPorts.VipHost host = new ElectionPorts.VipHost() {
    @Override
    public void add(String vip) {
      ops.add("add " + vip);
    }

    @Override
    public void remove(String vip) {
      if (removeFails) {
        throw new IllegalStateException("EPERM");
      }
      ops.add("remove " + vip);
    }

    @Override
    public void announce(String vip) {
      ops.add("announce " + vip + " at " + now);
    }
  };

  final ElectionLoop loop = new ElectionLoop("d1", ElectionTimings.DEFAULT, () -> now, Clock.fixed(now, ZoneOffset.UTC),
      leases, host, new Announcements(3, Duration.ofMillis(200)), Runnable::run);

  List<Transition> runFor(Duration d) {
    List<Transition> out = new ArrayList<>();
    for (Instant end = now.plus(d); now.isBefore(end); now = now.plusMillis(100)) {
      out.addAll(loop.step());
    }
    return out;
  }

  @Test
  void theHeartbeatIsDueAtOnceWhenTheVipOrTheApiServersReachabilityChanges() throws InterruptedException {
    loop.configure(List.of(new ElectionLoop.HaVip(VIP, "d1", true)), Set.of("d1"));
    runFor(Duration.ofMillis(500)); // API reachable: a change from the initial "unreachable"
    assertThat(loop.awaitReportChange(Duration.ZERO)).as("API server reached").isTrue();
    runFor(Duration.ofMillis(300));
    assertThat(loop.awaitReportChange(Duration.ZERO)).as("nothing changed").isFalse();
    runUntilHolding();
    assertThat(loop.awaitReportChange(Duration.ZERO)).as("VIP taken").isTrue();
    runFor(Duration.ofMillis(300));
    assertThat(loop.awaitReportChange(Duration.ZERO)).as("a renewal").isTrue();
    apiDown = true;
    runFor(Duration.ofMillis(300)); // the next call, at most a retryPeriod away
    assertThat(loop.awaitReportChange(Duration.ZERO)).as("API server lost").isTrue();
  }

  private void runUntilHolding() {
    for (int i = 0; i < 50 && loop.holding().isEmpty(); i++) {
      runFor(Duration.ofMillis(100));
    }
    assertThat(loop.holding()).containsExactly(VIP);
  }

  @Test
  void takesAFreeVipThenAddsItAndAnnouncesItThreeTimes() {
    loop.configure(List.of(new ElectionLoop.HaVip(VIP, "d1", true)), Set.of("d1"));
    List<Transition> t = runFor(Duration.ofSeconds(3));
    assertThat(t).extracting(Transition::holds).containsExactly(true);
    // after one peerTimeout of listening; renewals (every retryPeriod) interleave with the announcements
    assertThat(ops.get(0)).isEqualTo("lease d1");
    Instant first = Instant.parse("2026-01-01T00:00:00Z").plus(ElectionTimings.DEFAULT.peerTimeout());
    assertThat(ops.stream().filter(o -> !o.equals("lease d1")).limit(4)).containsExactly("add " + VIP,
        "announce " + VIP + " at " + first, "announce " + VIP + " at " + first.plusMillis(200),
        "announce " + VIP + " at " + first.plusMillis(400));
    assertThat(ops.stream().filter(o -> o.startsWith("announce"))).hasSize(3);
    assertThat(ops.stream().filter(o -> o.equals("lease d1")).count()).as("renewals").isGreaterThan(2);
    // the last renewal (2.9 s, Lease version 6) as of now (3.0 s): what a standby counts expiry from
    assertThat(loop.report(1)).isEqualTo(new PeerReport("d1", 1, 3000, Set.of(VIP),
        java.util.Map.of(VIP, new PeerReport.Renewal("6", 100))));
  }

  @Test
  void cutFromTheApiServerWithAPeerThatReachesItTheVipIsRemovedAtTheRenewDeadline() {
    loop.configure(List.of(new ElectionLoop.HaVip(VIP, "d1", true)), Set.of("d1", "d2"));
    runFor(Duration.ofSeconds(3));
    assertThat(loop.holding()).containsExactly(VIP);
    apiDown = true;
    Instant cut = now;
    List<Transition> t = new ArrayList<>();
    for (int i = 0; i < 40 && t.isEmpty(); i++) {
      loop.heard(new PeerReport("d2", 100 + i, 60_000, Set.of()));
      t.addAll(runFor(Duration.ofMillis(100)));
    }
    assertThat(t).containsExactly(new Transition(VIP, false, Reason.FENCED, Instant.parse("2026-01-01T00:00:00Z")));
    // renewDeadline, and one retryPeriod more while d2 is heard (VipElection: its word may be on the way)
    assertThat(Duration.between(cut, now))
        .isLessThanOrEqualTo(ElectionTimings.DEFAULT.renewDeadline().plus(ElectionTimings.DEFAULT.retryPeriod()));
    assertThat(ops.get(ops.size() - 1)).isEqualTo("remove " + VIP);
    assertThat(loop.report(2).apiReachableMillis()).isEqualTo(PeerReport.UNREACHABLE);
  }

  @Test
  void aHolderPausedThroughAnOutageReadsItsPeersBeforeJudgingThem() {
    loop.configure(List.of(new ElectionLoop.HaVip(VIP, "d1", true)), Set.of("d1", "d2"));
    int seq = 0;
    for (int i = 0; i < 30; i++) {
      loop.heard(new PeerReport("d2", seq++, 60_000, Set.of()));
      runFor(Duration.ofMillis(100));
    }
    assertThat(loop.holding()).containsExactly(VIP);
    apiDown = true;
    List<Transition> t = new ArrayList<>();
    for (int i = 0; i < 30; i++) { // the outage, d2 saying it lost the API server too
      loop.heard(new PeerReport("d2", seq++, PeerReport.UNREACHABLE, Set.of()));
      t.addAll(runFor(Duration.ofMillis(100)));
    }
    assertThat(t).isEmpty();
    now = now.plusSeconds(2); // this process paused: d2's heartbeats wait in the socket meanwhile
    t.addAll(loop.step());
    loop.heard(new PeerReport("d2", seq++, PeerReport.UNREACHABLE, Set.of())); // read once it runs again
    now = now.plusMillis(100);
    t.addAll(loop.step());
    assertThat(t).as("transitions after the pause").isEmpty();
    assertThat(loop.holding()).containsExactly(VIP);
  }

  @Test
  void aVipThatCannotBeRemovedIsNeverReleased() {
    loop.configure(List.of(new ElectionLoop.HaVip(VIP, "d2", true)), Set.of("d1", "d2"));
    runFor(Duration.ofSeconds(3)); // d2 unheard: d1 takes it
    assertThat(loop.holding()).containsExactly(VIP);
    removeFails = true;
    for (int i = 0; i < 60; i++) { // the preferred d2 back and stable: d1 would release
      loop.heard(new PeerReport("d2", 200 + i, 10_000, Set.of()));
      runFor(Duration.ofMillis(100));
    }
    assertThat(stored.holder()).as("the Lease still names the node that still has the VIP").isEqualTo("d1");
    assertThat(ops).doesNotContain("lease released");
    removeFails = false;
    runFor(Duration.ofMillis(200));
    assertThat(loop.holding()).isEmpty();
    assertThat(ops).contains("remove " + VIP);
  }

  @Test
  void aTakeoverFromAnExpiredHolderIsRecordedWithItsOwnAnnouncementsAndTimings() {
    stored = new LeaseView("d2", Long.toString(++version));
    var fast = new ElectionTimings(Duration.ofSeconds(1), Duration.ofMillis(600), Duration.ofMillis(200),
        Duration.ofMillis(500));
    loop.configure(List.of(new ElectionLoop.HaVip(VIP, null, true, fast, 1, Duration.ofMillis(50))), Set.of("d1", "d2"));
    List<Transition> t = runFor(Duration.ofMillis(1500)); // d2 silent: its Lease expires after 1 s, not 3
    assertThat(t).containsExactly(new Transition(VIP, true, Reason.STANDBY, Instant.parse("2026-01-01T00:00:00Z"),
        new ElectionPorts.Takeover("d2", "HolderLost")));
    assertThat(ops).containsSubsequence("lease d1 Takeover[from=d2, reason=HolderLost]", "add " + VIP);
    assertThat(ops.stream().filter(o -> o.startsWith("announce"))).as("announceCount 1").hasSize(1);
    assertThat(ops.stream().filter(o -> o.startsWith("lease d1")).skip(1)).as("renewals record no takeover")
        .isNotEmpty().allMatch(o -> o.equals("lease d1"));
  }

  @Test
  void aTakeoverAnsweredOnALaterStepIsRecordedAsTheStepThatAskedForIt() {
    stored = new LeaseView("d2", Long.toString(++version));
    List<Runnable> sent = new ArrayList<>();
    ElectionLoop slow = new ElectionLoop("d1", ElectionTimings.DEFAULT, () -> now, Clock.fixed(now, ZoneOffset.UTC),
        leases, host, new Announcements(3, Duration.ofMillis(200)), sent::add);
    slow.configure(List.of(new ElectionLoop.HaVip(VIP, null, true)), Set.of("d1", "d2"));
    List<Transition> t = new ArrayList<>();
    for (int i = 0; i < 50 && t.isEmpty(); i++) { // each call answered one step (100 ms) later
      List<Runnable> answered = List.copyOf(sent);
      sent.clear();
      answered.forEach(Runnable::run);
      t.addAll(slow.step());
      now = now.plusMillis(100);
    }
    assertThat(t).containsExactly(new Transition(VIP, true, Reason.STANDBY, Instant.parse("2026-01-01T00:00:00Z"),
        new ElectionPorts.Takeover("d2", "HolderLost")));
    assertThat(ops).containsSubsequence("lease d1 Takeover[from=d2, reason=HolderLost]", "add " + VIP);
  }

  @Test
  void aStandbysLeaseReadUnansweredForTwoRetryPeriodsCountsAsTheApiServerLostOnce() {
    List<Runnable> sent = new ArrayList<>();
    ElectionLoop slow = new ElectionLoop("d2", ElectionTimings.DEFAULT, () -> now, Clock.fixed(now, ZoneOffset.UTC),
        leases, host, new Announcements(3, Duration.ofMillis(200)), sent::add);
    stored = new LeaseView("d1", "1");
    slow.configure(List.of(new ElectionLoop.HaVip(VIP, "d1", true)), Set.of("d1", "d2"));
    for (int i = 0; i < 10; i++) { // every read answered before the next step
      List.copyOf(sent).forEach(Runnable::run);
      sent.clear();
      slow.step();
      now = now.plusMillis(100);
    }
    assertThat(slow.report(1).apiReachable()).isTrue();
    assertThat(sent).as("a read sent, not answered").hasSize(1);
    Duration stall = ElectionTimings.DEFAULT.retryPeriod().multipliedBy(2);
    Instant sentAt = now.minusMillis(100);
    while (now.isBefore(sentAt.plus(stall))) {
      slow.step();
      assertThat(slow.report(2).apiReachable()).as("at %s", now).isTrue();
      now = now.plusMillis(100);
    }
    slow.step();
    assertThat(slow.report(3).apiReachable()).as("the read unanswered for %s", stall).isFalse();
    sent.forEach(Runnable::run); // answered at last: the API server answers again, counted from now
    sent.clear();
    slow.step();
    assertThat(slow.report(4).apiReachableMillis()).isZero();
    now = now.plusMillis(100);
    slow.step();
    assertThat(slow.report(5).apiReachableMillis()).isEqualTo(100);
  }

  @Test
  void anAnsweredAcquisitionAsksForAStepAtOnceARenewalDoesNot() {
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    ElectionLoop eager = new ElectionLoop("d1", ElectionTimings.DEFAULT, () -> now, Clock.fixed(now, ZoneOffset.UTC),
        leases, host, new Announcements(3, Duration.ofMillis(200)), Runnable::run, asked::incrementAndGet);
    eager.configure(List.of(new ElectionLoop.HaVip(VIP, "d1", true)), Set.of("d1"));
    for (int i = 0; i < 30; i++) {
      eager.step();
      now = now.plusMillis(100);
    }
    assertThat(eager.holding()).containsExactly(VIP);
    assertThat(ops.stream().filter(o -> o.equals("lease d1")).count()).as("acquisition and renewals").isGreaterThan(3);
    assertThat(asked).as("steps asked for").hasValue(1);
  }

  @Test
  void aRenewalInFlightIsInTheHeartbeatUnderTheTokenTheLeaseRecordsUntilItIsAnswered() {
    List<Runnable> sent = new ArrayList<>();
    ElectionLoop slow = new ElectionLoop("d1", ElectionTimings.DEFAULT, () -> now, Clock.fixed(now, ZoneOffset.UTC),
        leases, host, new Announcements(3, Duration.ofMillis(200)), sent::add);
    slow.configure(List.of(new ElectionLoop.HaVip(VIP, "d1", true)), Set.of("d1"));
    for (int i = 0; i < 50 && slow.holding().isEmpty(); i++) { // every call answered before the next step
      List.copyOf(sent).forEach(Runnable::run);
      sent.clear();
      slow.step();
      now = now.plusMillis(100);
    }
    assertThat(slow.holding()).containsExactly(VIP);
    for (int i = 0; i < 5 && sent.isEmpty(); i++) { // until the next renewal is sent
      slow.step();
      now = now.plusMillis(100);
    }
    PeerReport.Renewal writing = slow.report(1).writing().get(VIP);
    assertThat(writing).as("the renewal in flight").isNotNull();
    assertThat(writing.agoMillis()).isEqualTo(100);
    List.copyOf(sent).forEach(Runnable::run); // the API server takes it...
    sent.clear();
    assertThat(stored.write()).as("the write token the Lease records").isEqualTo(writing.version());
    slow.step(); // ...and its answer is applied
    assertThat(slow.report(2).writing()).isEmpty();
    assertThat(slow.report(2).renewals().get(VIP).version()).isEqualTo(stored.version());
  }

  @Test
  void aHolderWhoseCallsOutlastTheRetryPeriodRenewsBackToBackAndReadsNothing() {
    List<Runnable> sent = new ArrayList<>();
    java.util.Deque<List<Runnable>> wire = new java.util.ArrayDeque<>(List.of(List.of(), List.of(), List.of()));
    ElectionLoop slow = new ElectionLoop("d1", ElectionTimings.DEFAULT, () -> now, Clock.fixed(now, ZoneOffset.UTC),
        leases, host, new Announcements(3, Duration.ofMillis(200)), sent::add);
    slow.configure(List.of(new ElectionLoop.HaVip(VIP, "d1", true)), Set.of("d1"));
    List<Transition> t = new ArrayList<>();
    int readsWhenTaken = -1;
    int renewalsWhenTaken = 0;
    for (int i = 0; i < 80; i++) { // every call answered 400 ms (four steps) after it was sent
      wire.addLast(List.copyOf(sent));
      sent.clear();
      wire.removeFirst().forEach(Runnable::run);
      t.addAll(slow.step());
      if (readsWhenTaken < 0 && !slow.holding().isEmpty()) {
        readsWhenTaken = reads;
        renewalsWhenTaken = (int) ops.stream().filter(o -> o.equals("lease d1")).count();
      }
      now = now.plusMillis(100);
    }
    assertThat(t).as("taken once, never fenced").extracting(Transition::holds).containsExactly(true);
    assertThat(reads).as("Lease reads while holding").isEqualTo(readsWhenTaken);
    long renewals = ops.stream().filter(o -> o.equals("lease d1")).count() - renewalsWhenTaken;
    // a renewal as soon as the last one is answered: ~every 400 ms over the ~6 s held
    assertThat(renewals).as("renewals while holding").isGreaterThanOrEqualTo(12);
  }

  @Test
  void anAcquisitionDueAtExpiryDoesNotWaitBehindALookStillOut() {
    stored = new LeaseView("d2", Long.toString(++version)); // d2 silent: expires leaseDuration after d1 first reads it
    List<Runnable> sent = new ArrayList<>();
    java.util.Deque<List<Runnable>> wire = new java.util.ArrayDeque<>();
    for (int i = 0; i < 3; i++) { // within the two retry periods after which a read counts as failed
      wire.add(List.of());
    }
    ElectionLoop slow = new ElectionLoop("d1", ElectionTimings.DEFAULT, () -> now, Clock.fixed(now, ZoneOffset.UTC),
        leases, host, new Announcements(3, Duration.ofMillis(200)), sent::add);
    slow.configure(List.of(new ElectionLoop.HaVip(VIP, null, true)), Set.of("d1", "d2"));
    Instant start = now;
    List<Transition> t = new ArrayList<>();
    for (int i = 0; i < 60 && t.isEmpty(); i++) { // every call answered 400 ms (four steps) after it was sent
      wire.addLast(List.copyOf(sent));
      sent.clear();
      wire.removeFirst().forEach(Runnable::run);
      t.addAll(slow.step());
      now = now.plusMillis(100);
    }
    assertThat(t).extracting(Transition::holds).containsExactly(true);
    // first read answered at 0.4 s, expiry leaseDuration later (2.15 s), the write sent on the next
    // step and answered 0.4 s later; behind a read still out it would wait up to 0.4 s more
    assertThat(Duration.between(start, now)).isLessThanOrEqualTo(Duration.ofMillis(400).plus(ElectionTimings.DEFAULT
        .leaseDuration()).plusMillis(100 + 400 + 100));
  }

  @Test
  void thePreferredDirectorTakingAReleasedLeaseRecordsAPreemption() {
    stored = new LeaseView(null, Long.toString(++version)); // released by d2 for us
    loop.configure(List.of(new ElectionLoop.HaVip(VIP, "d1", true)), Set.of("d1", "d2"));
    List<Transition> t = runFor(Duration.ofSeconds(3));
    assertThat(t).extracting(Transition::takeover).containsExactly(new ElectionPorts.Takeover("", "Preempted"));
  }

  @Test
  void theFirstElectionOfAVipIsNoFailover() {
    loop.configure(List.of(new ElectionLoop.HaVip(VIP, "d2", false)), Set.of("d1"));
    List<Transition> t = runFor(Duration.ofSeconds(3));
    assertThat(t).extracting(Transition::holds).containsExactly(true);
    assertThat(t.get(0).takeover()).isNull();
  }

  @Test
  void callsThatHangOnAPartitionNeitherDelayTheFenceNorPileUp() {
    java.util.Deque<Runnable> hung = new java.util.ArrayDeque<>();
    boolean[] hanging = {false};
    ElectionLoop slow = new ElectionLoop("d1", ElectionTimings.DEFAULT, () -> now, Clock.fixed(now, ZoneOffset.UTC),
        leases, host, new Announcements(3, Duration.ofMillis(200)), c -> {
          if (hanging[0]) {
            hung.add(c); // sent, never answered (a partition: packets dropped)
          } else {
            c.run();
          }
        });
    List<String> vips = List.of("198.18.0.100", "198.18.0.101", "198.18.0.102");
    slow.configure(vips.stream().map(v -> new ElectionLoop.HaVip(v, "d1", true)).toList(), Set.of("d1", "d2"));
    for (int i = 0; i < 40; i++) { // d2 heard from the start, reaching the API server
      slow.heard(new PeerReport("d2", i, 60_000, Set.of()));
      slow.step();
      now = now.plusMillis(100);
    }
    assertThat(slow.holding()).containsExactlyInAnyOrderElementsOf(vips);
    Instant cut = now;
    hanging[0] = true;
    Instant removedBy = null;
    for (int i = 0; i < 100 && removedBy == null; i++) {
      slow.heard(new PeerReport("d2", 100 + i, 60_000, Set.of()));
      Instant stepStart = now;
      slow.step();
      removedBy = slow.holding().isEmpty() ? stepStart : null;
      now = now.plusMillis(100);
    }
    assertThat(removedBy).as("VIPs removed").isNotNull();
    // the last renewals were sent before the cut: every fence within renewDeadline (+ one
    // retryPeriod waiting for d2's word, which says it still reaches the API server) of them
    assertThat(Duration.between(cut, removedBy))
        .isLessThanOrEqualTo(ElectionTimings.DEFAULT.renewDeadline().plus(ElectionTimings.DEFAULT.retryPeriod()));
    assertThat(hung).as("one call per VIP in flight, not one per step").hasSize(vips.size());
    // the hung renewals are answered once even their own deadlines have passed: they take nothing back
    now = now.plus(ElectionTimings.DEFAULT.renewDeadline());
    hanging[0] = false;
    hung.forEach(Runnable::run);
    slow.heard(new PeerReport("d2", 300, 60_000, Set.of()));
    slow.step();
    assertThat(slow.holding()).isEmpty();
    assertThat(ops.stream().filter(o -> o.startsWith("add ")).count()).as("adds").isEqualTo(vips.size());
  }
}
