package io.lvs.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.v1alpha1.FailoverTimings;
import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.EchoSession;
import io.lvs.e2e.lab.GapProbe;
import io.lvs.e2e.lab.HaDirectors;
import io.lvs.e2e.lab.HolderSampler;
import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.Kernel;
import io.lvs.e2e.lab.Lab;
import io.lvs.e2e.lab.LabNetwork;
import io.lvs.e2e.lab.LabNode;
import io.lvs.e2e.lab.LabProcess;
import io.lvs.e2e.lab.Manifests;
import io.lvs.e2e.lab.ResultBook;
import io.lvs.e2e.lab.Shell;
import io.lvs.e2e.lab.WebServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 16's five scenarios with two directors (dir1, dir2) electing a VIP holder through the
 * agents' Lease and heartbeats: the failover gap a client sees, connections across a failover with
 * and without connection sync, no split brain when the holder is cut from the API server only,
 * no movement during an API-server outage, and a returning preferred director.
 * {@code -Dlvs.e2e.haRounds=N} sets the rounds of the first (default 10);
 * {@code -Dlvs.e2e.haFailover=leaseDurationMillis=1000,renewDeadlineMillis=600,...} runs it with
 * other timings (docs/ha.md's sub-second ones), the defaults otherwise.
 */
@Order(13)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaDirectorsE2eTest extends Scenario {
  static final String VIP = "198.18.0.216";
  /**
   * The default timings everywhere: docs/ha.md's sub-second ones (lease 1 s, renew 0.6 s) flapped
   * in the emulated lab (a holder fenced every ~0.5 s: its Lease calls outlast 0.6 s).
   */
  static final List<String> DEFAULTS = List.of();
  static final Duration TAKEOVER = Duration.ofSeconds(30);
  /** The median over the rounds: above every whole run's so far (2.36–2.92 s); a takeover a step or a write slower exceeds it. */
  static final Duration MEDIAN_GAP = Duration.ofMillis(3500);
  /** The gap all rounds but one keep within (the 90th percentile of ten): above every round measured on a quiet machine. */
  static final Duration P90_GAP = Duration.ofMillis(4500);
  /**
   * The one round over {@link #P90_GAP} still stays within this: the emulated VM pauses an agent's
   * JVM for up to 4.8 s (docs/benchmarks.md, "HA directors"), which a ~2.4 s takeover can meet once
   * in a run (CI at e889201: one round of 4.72 s, the other nine 2.30–2.41 s). A standby that cannot
   * count the API server reachable (the 14.77 s round of 660b50d) still fails it.
   */
  static final Duration MAX_GAP = Duration.ofMillis(8000);
  /** Moves of the VIP between rounds, without a kill, that one round tolerates before it fails. */
  static final int MOVES_PER_ROUND = 3;

  /**
   * Scenario (4)'s clocks. Through an outage the holder keeps its VIP only while it hears every
   * standby say it lost the API server too: the first word within renewDeadline + retryPeriod of the
   * holder's last renewal, then one every peerTimeout. This emulated VM pauses an agent's JVM for
   * up to 4 s (ha_step_late 4061 ms on the standby as the host's API server restarted), longer than
   * the defaults allow for either, and the holder then gives up (the safe side): one CI run of
   * three lost the VIP so. The property is the same at any clocks; these tolerate a 6 s pause
   * (docs/ha.md, "API server down").
   */
  static final String OUTAGE_TIMINGS = "leaseDurationMillis=8000,renewDeadlineMillis=6000,retryPeriodMillis=500,"
      + "peerTimeoutMillis=6000";

  static final String TIMINGS = FailoverTimings.LEASE_DURATION + "/" + FailoverTimings.RENEW_DEADLINE + "/"
      + FailoverTimings.RETRY_PERIOD + "/" + FailoverTimings.PEER_TIMEOUT + "/" + FailoverTimings.HEARTBEAT_INTERVAL;

  @AfterEach
  void cleanUp(Lab lab) {
    HaDirectors ha = new HaDirectors(lab);
    for (LabNode d : lab.haDirectors()) {
      if (!lab.agent(d.name()).isAlive()) {
        ha.revive(d.name(), VIP); // a round that failed with its node dead: back as after a reboot
      }
      ha.link(d.name(), true);
      Shell.inNs(d.ns(), "nft", "delete", "table", "inet", HaDirectors.ApiCut.TABLE);
    }
    lab.kube().deleteAll(CONVERGE);
    for (LabNode d : lab.haDirectors()) {
      lab.await("no VIP and an empty IPVS table on " + d.name(), CONVERGE,
          () -> Ipvsadm.table(d.ns()).isEmpty() && !Kernel.hasAddress(d.ns(), "eth0", VIP));
    }
  }

  @Test
  @Order(1)
  @DisplayName("ha: holder node dies (kill -9 + link down) under a request loop: gap p50 ≤ 3.5 s, client repointed, status and Event")
  void failoverGap(Lab lab) {
    HaDirectors ha = new HaDirectors(lab);
    String custom = System.getProperty("lvs.e2e.haFailover", "").strip();
    apply(lab, "ha-gap", WebServers.PORT, failoverLines(custom));
    String timings = custom.isEmpty() ? "defaults " + TIMINGS + " ms" : custom;
    int rounds = Integer.getInteger("lvs.e2e.haRounds", 10);
    List<Duration> gaps = new ArrayList<>();
    List<String> moves = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      gaps.add(failOnce(lab, ha, round, moves));
    }
    Duration max = gaps.stream().max(Duration::compareTo).orElseThrow();
    lab.results().figure("failover gap over " + rounds + " rounds (" + timings + "): p50 "
        + ResultBook.seconds(ResultBook.percentile(gaps, 50)) + ", max " + ResultBook.seconds(max) + "; all " + gaps
        + "; VIP moved on its own between rounds " + moves.size() + " times " + moves);
    assertThat(ha.failoverEvents("ha-gap")).as("failover Events of ha-gap").hasSizeGreaterThanOrEqualTo(rounds);
    // the goal (a max of 3 s) is measured and reported, not asserted: three whole runs of
    // this design gave medians of 2.36, 2.37 and 2.92 s and maxima of 2.93, 3.07 and 3.44 s
    // (docs/benchmarks.md, "HA directors"), so a bound at the goal itself would fail by chance.
    // These catch a regression: a takeover one step, one write or one retryPeriod slower
    assertThat(ResultBook.percentile(gaps, 50)).as("median client-visible gap of %s", gaps)
        .isLessThanOrEqualTo(MEDIAN_GAP);
    assertThat(ResultBook.percentile(gaps, 90)).as("90th percentile client-visible gap of %s", gaps)
        .isLessThanOrEqualTo(P90_GAP);
    assertThat(max).as("largest client-visible gap of %s", gaps).isLessThanOrEqualTo(MAX_GAP);
  }

  /**
   * The director to kill in this round: one that has held the VIP for a while, its peer standing by
   * (perhaps just restarted, it has configured the election), and still holding once that is so.
   * A loaded lab can move the VIP between rounds: a holder whose JVM pauses past renewDeadline
   * fences itself (docs/ha.md, "Failure modes"); one CI run saw it once in ten rounds, as the
   * revived peer's JVM started. Each such move is recorded with the former holder's own reason and
   * the round starts over with the new holder; more than {@value #MOVES_PER_ROUND} in one round fail it.
   */
  private static String readyPair(Lab lab, HaDirectors ha, int round, List<String> moves) {
    for (int attempt = 0; ; attempt++) {
      String holder = ha.awaitSettledHolder(VIP, Duration.ofSeconds(3), Duration.ofSeconds(120));
      String next = ha.other(holder);
      lab.await(next + " stands by (backup sync daemon)", Duration.ofSeconds(60), () -> ha.backupDaemon(next));
      List<String> now = ha.holders(VIP);
      if (now.equals(List.of(holder))) {
        return holder;
      }
      recordMove(lab, moves, "round " + round + ": " + holder + " no longer sole holder (now " + now + ")",
          ha.lastLogLine(holder, "ha_vip_given_up"));
      assertThat(attempt).as("VIP moves on its own before round %d: %s", round, moves).isLessThan(MOVES_PER_ROUND);
    }
  }

  /** A move of the VIP without a kill: said, and kept for the figure, with the former holder's logged reason. */
  private static void recordMove(Lab lab, List<String> moves, String what, Optional<String> giveUpLine) {
    String why = what + "; its last give-up: "
        + giveUpLine.map(l -> HaDirectors.field(l, "reason").orElse(l)).orElse("none logged");
    lab.say(why);
    moves.add(why);
  }

  /** One round: the holder killed under a request loop, the gap its client saw; the holder revived. */
  private Duration failOnce(Lab lab, HaDirectors ha, int round, List<String> moves) {
    String holder;
    String next;
    Duration gap;
    try (GapProbe probe = new GapProbe(VIP, WebServers.PORT)) {
      lab.await("5 answers through " + VIP + " before the kill", Duration.ofSeconds(60),
          () -> probe.answers().stream().filter(GapProbe.Answer::ok).count() >= 5);
      holder = readyPair(lab, ha, round, moves);
      next = ha.other(holder);
      double died = ha.die(holder);
      lab.await(next + " holds " + VIP + " after " + holder + " died", TAKEOVER,
          () -> Kernel.hasAddress(next, "eth0", VIP) && next.equals(ha.leaseHolder(VIP).orElse(null)),
          () -> ha.standbyDiagnosis(next, VIP));
      String mac = ha.mac(next);
      lab.await("client's neighbour entry for " + VIP + " = " + next + "'s MAC " + mac, Duration.ofSeconds(10),
          () -> mac.equals(ha.clientNeighbour(VIP)));
      double tookOver = GapProbe.uptime();
      lab.await("a request answered after the takeover", Duration.ofSeconds(30), () -> probe.answeredAfter(tookOver));
      gap = probe.largestGapSince(died).orElseThrow();
      lab.results().sample("ha: failover gap, node death (defaults)", gap);
      lab.say("round " + round + ": " + holder + " died, " + next + " took over; gap " + ResultBook.seconds(gap)
          + " (" + probe.failed() + " requests failed); " + breakdown(ha, probe, next, died));
      lab.await("status.activeDirector = " + next, Duration.ofSeconds(60),
          () -> next.equals(ha.activeDirector("ha-gap").orElse(null)));
    }
    Optional<String> nextGaveUp = ha.lastLogLine(next, "ha_vip_given_up");
    ha.revive(holder, VIP);
    // back as standby: it listens, hears the holder and leaves the VIP where it is, unless the
    // holder gave it up meanwhile (a move on its own, as in readyPair, recorded so)
    Lab.pause(Duration.ofSeconds(6));
    List<String> now = ha.holders(VIP);
    Optional<String> gaveUp = ha.lastLogLine(next, "ha_vip_given_up");
    if (!now.equals(List.of(next)) && !gaveUp.equals(nextGaveUp)) {
      recordMove(lab, moves, "round " + round + ": " + next + " gave the VIP up as " + holder + " came back (now "
          + now + ")", gaveUp);
    } else {
      assertThat(now).as("holders after %s came back", holder).containsExactly(next);
    }
    return gap;
  }

  /**
   * Where a round's gap went, on the probe's clock (the VM's uptime; the agent's wall-clock stamps
   * are converted with the offset read now): the client's last answer before the death, the VIP
   * added on the new holder (its Lease write: how long after the old Lease's expiry it was sent,
   * what dated that expiry, its round trip; the takeover step), and the client's first answer after.
   */
  private static String breakdown(HaDirectors ha, GapProbe probe, String next, double died) {
    double offset = Instant.now().toEpochMilli() / 1000.0 - GapProbe.uptime();
    Optional<String> taken = ha.lastLogLine(next, "ha_vip_taken");
    Optional<Double> takenAt = taken.flatMap(l -> HaDirectors.field(l, "at"))
        .map(a -> Instant.parse(a).toEpochMilli() / 1000.0 - offset);
    String acquired = ha.lastLogLine(next, "ha_lease_acquired").map(l -> List.of("writeMs", "afterExpiryMs", "expiryFrom")
        .stream().map(k -> k + "=" + HaDirectors.field(l, k).orElse("?")).collect(Collectors.joining(" "))).orElse("?");
    String added = ha.lastLogLine(next, "ha_vip_added").map(l -> List.of("addMs", "announceMs").stream()
        .map(k -> k + "=" + HaDirectors.field(l, k).orElse("?")).collect(Collectors.joining(" "))).orElse("?");
    return String.format("last answer %s s before the death; VIP added %s s after it (%s %s stepMs=%s); first answer"
        + " %s s after that",
        probe.lastAnsweredAtOrBefore(died).map(a -> String.format("%.2f", died - a)).orElse("?"),
        takenAt.map(t -> String.format("%.2f", t - died)).orElse("?"), acquired, added,
        taken.flatMap(l -> HaDirectors.field(l, "stepMs")).orElse("?"),
        takenAt.flatMap(t -> probe.firstAnsweredAfter(t).map(a -> String.format("%.2f", a - t))).orElse("?"));
  }

  @Test
  @Order(2)
  @DisplayName("ha: an established TCP session survives a failover with connectionSync, breaks without")
  void sessionAcrossFailover(Lab lab) {
    HaDirectors ha = new HaDirectors(lab);
    List<LabProcess> echo = EchoSession.startServers(lab.realServers(), lab.logs());
    try {
      apply(lab, "ha-echo", EchoSession.PORT, DEFAULTS);
      assertThat(sessionSurvives(lab, ha, true)).as("session across a failover with connectionSync on").isTrue();
      apply(lab, "ha-echo", EchoSession.PORT, withLines(DEFAULTS, "connectionSync: false"));
      for (LabNode d : lab.haDirectors()) {
        lab.await("no sync daemon on " + d.name(), CONVERGE,
            () -> !Shell.inNs(d.ns(), "ipvsadm", "-L", "--daemon").stdout().contains("sync"));
      }
      assertThat(sessionSurvives(lab, ha, false)).as("session across a failover with connectionSync off").isFalse();
      lab.results().figure("echo session: continued across failover with connectionSync, broke without");
    } finally {
      echo.forEach(p -> p.stop(Duration.ofSeconds(2)));
    }
  }

  /** Opens a session, fails the holder over (link down), reports whether the session still flows. */
  private boolean sessionSurvives(Lab lab, HaDirectors ha, boolean sync) {
    String holder = ha.awaitSingleHolder(VIP, Duration.ofSeconds(120));
    String next = ha.other(holder);
    try (EchoSession s = EchoSession.open(VIP, Duration.ofMillis(200), sync ? 47001 : 47002)) {
      assertThat(s.awaitEchoes(Instant.EPOCH, 5, Duration.ofSeconds(30))).as("echoes before the failover").isTrue();
      if (sync) {
        lab.await("the session's entry synced to " + next, Duration.ofSeconds(60), () -> hasEntry(next, s));
      }
      ha.link(holder, false);
      lab.await(next + " holds " + VIP, TAKEOVER, () -> Kernel.hasAddress(next, "eth0", VIP));
      Instant taken = Instant.now();
      boolean flows = s.awaitEchoes(taken, 5, Duration.ofSeconds(15)) && s.alive();
      lab.say("session across the failover (connectionSync " + (sync ? "on" : "off") + "): "
          + (flows ? "flows" : "broken") + diagnosis(lab, s, taken));
      if (flows) {
        assertThat(hasEntry(next, s)).as("ipvsadm -Lnc on %s shows the session", next).isTrue();
      }
      ha.link(holder, true);
      return flows;
    }
  }

  /** What a broken session leaves to read: echoes, both directors' connections and daemons, the client's neighbour. */
  private static String diagnosis(Lab lab, EchoSession s, Instant since) {
    StringBuilder out = new StringBuilder("\n  echoes since " + since + ": " + s.echoesAfter(since) + ", last echo "
        + s.lastEcho().map(Instant::toString).orElse("none") + ", session process alive " + s.alive());
    for (LabNode d : lab.haDirectors()) {
      out.append("\n  ").append(d.name()).append(" ipvsadm -Lnc: ")
          .append(Shell.inNs(d.ns(), "ipvsadm", "-Lnc").stdout().lines().filter(l -> l.contains(VIP)).toList())
          .append("; daemons: ").append(Shell.inNs(d.ns(), "ipvsadm", "-L", "--daemon").stdout().strip());
    }
    return out.append("\n  client neighbour for ").append(VIP).append(": ")
        .append(Shell.inNs(LabNetwork.CLIENT_NS, "ip", "neigh", "show", VIP).stdout().strip()).toString();
  }

  /** This session's own entry (by its client port), ESTABLISHED, in the node's connection table. */
  private static boolean hasEntry(String node, EchoSession s) {
    String client = LabNetwork.CLIENT_ADDRESS + ":" + s.clientPort() + " ";
    return Shell.inNs(node, "ipvsadm", "-Lnc").stdout().lines()
        .anyMatch(l -> l.contains(client) && l.contains(VIP + ":" + EchoSession.PORT) && l.contains("ESTABLISHED"));
  }

  @Test
  @Order(3)
  @DisplayName("ha: holder cut from the API server only: never two holders, VIP given up within the bound")
  void noSplitBrain(Lab lab) {
    HaDirectors ha = new HaDirectors(lab);
    apply(lab, "ha-split", WebServers.PORT, List.of());
    ha.awaitSingleHolder(VIP, Duration.ofSeconds(120));
    List<String> directors = lab.haDirectors().stream().map(LabNode::name).toList();
    try (HolderSampler sampler = new HolderSampler(VIP, directors)) {
      Duration gaveUp;
      String holder;
      String next;
      try (HaDirectors.ApiCut cut0 = ha.prepareApiCut(directors.get(0));
          HaDirectors.ApiCut cut1 = ha.prepareApiCut(directors.get(1))) {
        // the cut must hit a settled holder, not one an election under load is still moving
        String[] settled = new String[1];
        lab.await("one director holding " + VIP + " for 3 s", Duration.ofSeconds(120),
            () -> (settled[0] = sampler.soleHolderFor(Duration.ofSeconds(3)).orElse(null)) != null);
        holder = settled[0];
        next = ha.other(holder);
        Instant cut = (holder.equals(directors.get(0)) ? cut0 : cut1).cut();
        assertThat(sampler.holdersAt(cut)).as("holders at the cut").containsExactly(holder);
        lab.await(next + " holds " + VIP, TAKEOVER, () -> next.equals(ha.leaseHolder(VIP).orElse(null))
            && Kernel.hasAddress(next, "eth0", VIP));
        gaveUp = Duration.between(cut, sampler.firstWithout(holder, cut).orElseThrow());
        Lab.pause(Duration.ofSeconds(4));
      }
      Lab.pause(Duration.ofSeconds(8));
      lab.results().sample("ha: cut from API server → VIP removed", gaveUp);
      lab.results().figure(sampler.samples().size() + " samples of both directors (largest interval "
          + ResultBook.seconds(sampler.largestInterval()) + "), " + sampler.splitBrains().size()
          + " with two holders; partitioned holder removed the VIP " + ResultBook.seconds(gaveUp) + " after the cut");
      assertThat(sampler.samples()).as("samples").hasSizeGreaterThan(50);
      assertThat(sampler.largestInterval()).as("largest interval between samples").isLessThan(Duration.ofSeconds(1));
      assertThat(sampler.splitBrains()).as("samples with two holders").isEmpty();
      // docs/ha.md: within renewDeadline of its last successful renewal (before the cut), one
      // retryPeriod more while its peer is heard, plus one step and the sampler's interval, with
      // room for a slow step under emulation
      assertThat(gaveUp).as("VIP given up after the cut")
          .isLessThanOrEqualTo(Duration.ofMillis(FailoverTimings.RENEW_DEADLINE + FailoverTimings.RETRY_PERIOD + 600));
      assertThat(ha.holders(VIP)).as("holders after the cut healed").containsExactly(next);
    }
  }

  @Test
  @Order(4)
  @DisplayName("ha: API server down 30 s, both directors healthy: 0 failed requests, the VIP does not move")
  void apiServerOutage(Lab lab) {
    HaDirectors ha = new HaDirectors(lab);
    apply(lab, "ha-outage", WebServers.PORT, failoverLines(OUTAGE_TIMINGS));
    String holder = ha.awaitSingleHolder(VIP, Duration.ofSeconds(120));
    try (Client.Loop loop = Client.continuous(VIP, WebServers.PORT, Duration.ofMillis(200), r -> {});
        HolderSampler sampler = new HolderSampler(VIP, lab.haDirectors().stream().map(LabNode::name).toList())) {
      loop.awaitAtLeast(3, Duration.ofSeconds(60));
      lab.apiServer().stopApiServer();
      Lab.pause(ApiServerOutageE2eTest.OUTAGE);
      int during = loop.responses().size();
      lab.apiServer().startApiServer(Duration.ofSeconds(180));
      Lab.pause(Duration.ofSeconds(5));
      loop.awaitAtLeast(during + 3, Duration.ofSeconds(60));
      Client.Tally tally = loop.tally();
      List<HolderSampler.Sample> moved = sampler.samples().stream().filter(s -> !s.holders().equals(List.of(holder))).toList();
      lab.results().figure("failover " + OUTAGE_TIMINGS.replace("Millis", "") + " ms: " + tally.total() + " requests, "
          + tally.failed() + " failed; " + sampler.samples().size()
          + " samples, " + moved.size() + " without " + holder + " as sole holder");
      assertThat(tally.failed()).as("failed requests: %s", tally).isZero();
      assertThat(moved).as("samples where the VIP was not on %s alone", holder).isEmpty();
    }
  }

  @Test
  @Order(5)
  @DisplayName("ha: preferred director returns: preempt on takes the VIP back keeping a synced session; off stays standby")
  void preferredReturns(Lab lab) {
    HaDirectors ha = new HaDirectors(lab);
    String preferred = lab.haDirectors().get(0).name();
    String other = ha.other(preferred);
    List<LabProcess> echo = EchoSession.startServers(lab.realServers(), lab.logs());
    try {
      apply(lab, "ha-pref", EchoSession.PORT, withLines(DEFAULTS, "preferred: " + preferred, "preempt: true"));
      lab.await(preferred + " holds " + VIP, Duration.ofSeconds(120), () -> ha.holders(VIP).equals(List.of(preferred)));
      try (EchoSession s = EchoSession.open(VIP, Duration.ofMillis(200), 47003)) {
        assertThat(s.awaitEchoes(Instant.EPOCH, 5, Duration.ofSeconds(30))).as("echoes at the start").isTrue();
        lab.await("the session synced to " + other, Duration.ofSeconds(60), () -> hasEntry(other, s));
        ha.link(preferred, false);
        lab.await(other + " holds " + VIP, TAKEOVER, () -> Kernel.hasAddress(other, "eth0", VIP));
        // the session flows through the standby before the preferred one returns: the hand-back
        // below is then measured alone, not behind TCP's backoff from the first failover
        Instant taken = Instant.now();
        boolean onOther = s.awaitEchoes(taken, 5, Duration.ofSeconds(30)) && s.alive();
        assertThat(onOther).as("the session through %s after the failover%s", other, diagnosis(lab, s, taken)).isTrue();
        ha.link(preferred, true);
        Instant back = Instant.now();
        Duration handBack = lab.await(preferred + " takes " + VIP + " back (preempt)", TAKEOVER,
            () -> ha.holders(VIP).equals(List.of(preferred)));
        lab.results().sample("ha: preferred back → holds VIP again", handBack);
        Instant handedBack = Instant.now();
        boolean flows = s.awaitEchoes(handedBack, 5, Duration.ofSeconds(20)) && s.alive();
        assertThat(flows).as("the session after the hand-back to %s (%s after link up)%s", preferred, handBack,
            diagnosis(lab, s, handedBack)).isTrue();
        lab.say("preempt: " + preferred + " took the VIP back " + ResultBook.seconds(Duration.between(back, Instant.now())) + " after link up");
      }
      apply(lab, "ha-pref", EchoSession.PORT, withLines(DEFAULTS, "preferred: " + preferred, "preempt: false"));
      Lab.pause(Duration.ofSeconds(3));
      ha.link(preferred, false);
      lab.await(other + " holds " + VIP, TAKEOVER, () -> Kernel.hasAddress(other, "eth0", VIP));
      ha.link(preferred, true);
      Lab.pause(Duration.ofSeconds(10));
      assertThat(ha.holders(VIP)).as("holders 10 s after %s returned with preempt off", preferred).containsExactly(other);
    } finally {
      echo.forEach(p -> p.stop(Duration.ofSeconds(2)));
    }
  }

  private static void apply(Lab lab, String name, int port, List<String> directorLines) {
    String pool = name + "-pool";
    lab.kube().apply(Manifests.pair(port == WebServers.PORT ? Manifests.nodePool(pool, List.of()) : Manifests.nodePool(pool, port),
        Manifests.haVirtualService(name, VIP, port, pool, directorLines)));
  }

  /** "a=1,b=2" as the VirtualService's directors.failover lines; none for "". */
  static List<String> failoverLines(String custom) {
    if (custom.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>(List.of("failover:"));
    for (String kv : custom.split(",")) {
      String[] f = kv.split("=", 2);
      lines.add("  " + f[0].strip() + ": " + f[1].strip());
    }
    return lines;
  }

  private static List<String> withLines(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all;
  }
}
