package io.lvs.agent.runtime.ha;

import io.lvs.agent.ha.ApiReachability;
import io.lvs.agent.ha.Decision;
import io.lvs.agent.ha.ElectionTimings;
import io.lvs.agent.ha.LeaseView;
import io.lvs.agent.ha.PeerReport;
import io.lvs.agent.ha.PeerView;
import io.lvs.agent.ha.Peers;
import io.lvs.agent.ha.VipElection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps every VIP election of this director and performs what they decide, in the order that keeps
 * two holders apart: the VIP removed before a release is written, added only after the write naming
 * this node succeeded, then announced. {@link #step} runs on one thread (every 100 ms in
 * production) and owns all state; {@link #heard} may be called from the heartbeat receiver's. Lease
 * calls run on {@code calls}, at most one write and one read per VIP at a time, and their outcomes
 * are applied on the step thread: a call that hangs never delays a step, so a holder's fence is
 * never late and it may try to renew until its deadline. A write may start while a read is out (an
 * acquisition due at expiry does not wait behind the last look); that read's answer, older than the
 * write, is then dropped.
 */
public final class ElectionLoop {
  private static final Logger LOG = LoggerFactory.getLogger(ElectionLoop.class);

  /**
   * One VIP this node may hold; {@code timings} null: the loop's; {@code announceCount} 0: the
   * loop's announcements.
   */
  public record HaVip(String vip, String preferred, boolean preempt, ElectionTimings timings, int announceCount,
      Duration announceInterval) {
    public HaVip(String vip, String preferred, boolean preempt) {
      this(vip, preferred, preempt, null, 0, null);
    }
  }

  private final String self;
  private final ElectionTimings timings;
  private final Supplier<Instant> monotonic;
  private final Clock wall;
  private final ElectionPorts.Leases leases;
  private final ElectionPorts.VipHost host;
  private final Announcements announcements;
  private final Peers peers;
  private final Executor calls;
  private final Runnable stepNow;
  /** Outcomes of finished Lease calls, applied by the step thread. */
  private final ConcurrentLinkedQueue<Runnable> outcomes = new ConcurrentLinkedQueue<>();
  /** VIPs with a Lease write running. */
  private final Set<String> writing = new TreeSet<>();
  /** VIPs with a Lease read running, and when each was sent. */
  private final Map<String, Instant> reading = new TreeMap<>();
  /** Reads already counted as a failure for being unanswered too long (once each). */
  private final Set<String> stalled = new TreeSet<>();
  /** Writes started per VIP: a read answered after a later write started is stale. */
  private final Map<String, Long> writesStarted = new TreeMap<>();
  /** The Lease write running per VIP: its token and when it was sent (heartbeats name it). */
  private final Map<String, VipElection.Renewed> inFlight = new TreeMap<>();
  /** Makes this process's write tokens its own: its count of writes restarts with it. */
  private final String writeTokens = Long.toHexString(new java.security.SecureRandom().nextLong());
  private long writeCount;
  /** A VIP whose acquiring write is running: why it is taken, for the transition once it succeeds. */
  private final Map<String, Take> taking = new TreeMap<>();
  /** A gap between two steps longer than this is a pause of this process, not of its peers. */
  static final Duration STALL = Duration.ofMillis(500);
  private final ApiReachability api = new ApiReachability();
  private Instant lastStep;
  private final Map<String, VipElection> elections = new TreeMap<>();
  private final Map<String, HaVip> configs = new TreeMap<>();
  private final Map<String, Instant> lastRead = new TreeMap<>();
  private final Set<String> holding = new TreeSet<>();
  private final ConcurrentLinkedQueue<PeerView> inbox = new ConcurrentLinkedQueue<>();
  /** {@code holding} and its renewals as of the last step, for the heartbeat sender's thread. */
  private volatile Published published = new Published(Set.of(), Map.of(), Map.of(), false);
  /** Released when what the heartbeat says changed, so the sender need not wait out its interval. */
  private final Semaphore reportChanged = new Semaphore(0);

  /** {@code calls}: where Lease calls run (production: a small pool; tests: the caller's thread or a hand-run queue). */
  public ElectionLoop(String self, ElectionTimings timings, Supplier<Instant> monotonic, Clock wall,
      ElectionPorts.Leases leases, ElectionPorts.VipHost host, Announcements announcements, Executor calls) {
    this(self, timings, monotonic, wall, leases, host, announcements, calls, () -> {});
  }

  /**
   * {@code stepNow}: asks for a step at once (any thread), when an acquiring write is answered, so
   * the VIP is added then rather than at the next step, up to a step later.
   */
  public ElectionLoop(String self, ElectionTimings timings, Supplier<Instant> monotonic, Clock wall,
      ElectionPorts.Leases leases, ElectionPorts.VipHost host, Announcements announcements, Executor calls,
      Runnable stepNow) {
    this.stepNow = stepNow;
    this.self = self;
    this.timings = timings;
    this.monotonic = monotonic;
    this.wall = wall;
    this.leases = leases;
    this.host = host;
    this.announcements = announcements;
    this.calls = calls;
    this.peers = new Peers(self);
  }

  /** The VIPs this node may hold and every director of them (from its spec). */
  public void configure(List<HaVip> vips, Set<String> directors) {
    peers.name(directors);
    Set<String> wanted = new TreeSet<>();
    for (HaVip v : vips) {
      wanted.add(v.vip());
      // a changed election restarts (as standby) only while this node does not hold the VIP
      if (!v.equals(configs.get(v.vip())) && !holding.contains(v.vip())) {
        elections.put(v.vip(), new VipElection(v.vip(), self, v.preferred(), v.preempt(), timings(v), peers, api));
        configs.put(v.vip(), v);
      }
    }
    for (String vip : new ArrayList<>(elections.keySet())) {
      if (!wanted.contains(vip)) {
        elections.remove(vip);
        configs.remove(vip);
        lastRead.remove(vip);
        taking.remove(vip);
        writesStarted.remove(vip); // a read of the removed election still out is then dropped, or harmless
        inFlight.remove(vip);
        drop(vip); // no longer ours to elect; its Lease expires by itself
      }
    }
  }

  private ElectionTimings timings(HaVip v) {
    return v.timings() == null ? timings : v.timings();
  }

  /** A heartbeat from a peer (any thread). */
  public void heard(PeerReport r) {
    inbox.add(new PeerView(r, monotonic.get()));
  }

  /** What this node's next heartbeat says (any thread). */
  public PeerReport report(long seq) {
    Published p = published;
    Instant now = monotonic.get();
    return new PeerReport(self, seq, api.millis(now), p.holding(), ago(p.renewals(), now), ago(p.writing(), now));
  }

  private static Map<String, PeerReport.Renewal> ago(Map<String, VipElection.Renewed> sent, Instant now) {
    Map<String, PeerReport.Renewal> out = new TreeMap<>();
    sent.forEach((vip, r) -> out.put(vip,
        new PeerReport.Renewal(r.version(), Math.max(0, Duration.between(r.sentAt(), now).toMillis()))));
    return out;
  }

  /**
   * Waits up to {@code max} for the heartbeat's content to change (a VIP taken or given up, a
   * renewal, the API server lost or found): peers then learn it at once, not an interval later. A
   * holder keeps its VIP through an outage only once every peer said it cannot reach the API server
   * either, and a standby counts expiry from the last renewal it heard of, so neither may wait.
   * True when it changed.
   */
  public boolean awaitReportChange(Duration max) throws InterruptedException {
    boolean changed = reportChanged.tryAcquire(max.toMillis(), TimeUnit.MILLISECONDS);
    reportChanged.drainPermits();
    return changed;
  }

  public Set<String> holding() {
    return Set.copyOf(holding);
  }

  /** One pass over every election; the transitions it made. */
  public List<Transition> step() {
    for (PeerView v; (v = inbox.poll()) != null; ) {
      peers.heard(v);
    }
    Instant started = monotonic.get();
    Instant previous = lastStep;
    lastStep = started;
    if (previous != null && Duration.between(previous, started).compareTo(STALL) > 0) {
      // this process was paused (a GC, a starved VM): the heartbeats that came meanwhile are not
      // read yet, so every peer would look silent and a holder would fence. Judge one step later.
      LOG.warn("event=ha_step_late gapMs={} msg=\"election step paused; judging on the next one\"",
          Duration.between(previous, started).toMillis());
      publish();
      return List.of();
    }
    applyOutcomes();
    suspectStalledReads(started);
    List<Transition> out = new ArrayList<>();
    for (String vip : new ArrayList<>(holding)) {
      if (!elections.containsKey(vip)) {
        drop(vip); // left over by configure() when its removal failed
      }
    }
    for (VipElection e : elections.values()) {
      stepOne(e, out);
    }
    Instant now = monotonic.get();
    for (String vip : announcements.due(now)) {
      announce(vip);
    }
    publish();
    return out;
  }

  /**
   * A Lease read unanswered for two retry periods counts as a failure: this node then says at once
   * that it cannot reach the API server, instead of at its call's timeout (which the HTTP client may
   * even double, retrying a GET). Through an outage a holder keeps its VIP only once every peer
   * said so, before its own deadline. Safe both ways: a node that says it is unreachable also
   * restarts its own count, so it may take no VIP for a leaseDuration after. Reads only: a holder
   * writes, and its renewals' latency says nothing its deadline does not already judge.
   */
  private void suspectStalledReads(Instant now) {
    for (var r : reading.entrySet()) {
      HaVip config = configs.get(r.getKey());
      Duration stall = (config == null ? timings : timings(config)).retryPeriod().multipliedBy(2);
      if (!now.isBefore(r.getValue().plus(stall)) && stalled.add(r.getKey())) {
        api.failed();
        LOG.warn("event=ha_api_unreachable vip={} error=\"Lease read unanswered for {} ms\"", r.getKey(),
            Duration.between(r.getValue(), now).toMillis());
        return;
      }
    }
  }

  private void publish() {
    Map<String, VipElection.Renewed> renewals = new TreeMap<>();
    Map<String, VipElection.Renewed> writing = new TreeMap<>();
    for (String vip : holding) {
      Optional.ofNullable(elections.get(vip)).flatMap(VipElection::renewed).filter(r -> r.version() != null)
          .ifPresent(r -> renewals.put(vip, r));
      Optional.ofNullable(inFlight.get(vip)).ifPresent(w -> writing.put(vip, w));
    }
    Published was = published;
    Published next = new Published(Set.copyOf(holding), Map.copyOf(renewals), Map.copyOf(writing),
        api.reachableFor(monotonic.get()).isPresent());
    published = next;
    // a new renewal, or one sent, too: a standby counts expiry from the renewal its holder last reported
    if (!next.equals(was)) {
      reportChanged.release();
    }
  }

  /**
   * What the heartbeat sender reads: the VIPs held, their last renewals and the ones in flight
   * (named by write token), whether the API server answers.
   */
  private record Published(Set<String> holding, Map<String, VipElection.Renewed> renewals,
      Map<String, VipElection.Renewed> writing, boolean apiReachable) {}

  private void stepOne(VipElection e, List<Transition> out) {
    applyOutcomes();
    String vip = e.vip();
    Instant now = monotonic.get();
    HaVip config = configs.get(vip);
    Decision d = e.step(now, !writing.contains(vip));
    if (!d.holdVip() && holding.contains(vip) && drop(vip)) {
      out.add(new Transition(vip, false, d.reason(), wall.instant()));
    }
    // a release only once the VIP is really gone
    boolean mayWrite = d.lease() != Decision.LeaseAction.RELEASE || !holding.contains(vip);
    if (d.lease() != Decision.LeaseAction.NONE && mayWrite && !writing.contains(vip)) {
      ElectionPorts.Takeover takeover = null;
      if (d.lease() == Decision.LeaseAction.ACQUIRE) {
        takeover = takeover(e.lease(), config);
        taking.put(vip, new Take(d.reason(), takeover, now, e.expiry().orElse(null)));
      }
      write(e, d.lease() == Decision.LeaseAction.RELEASE ? null : self, timings(config), takeover, now);
      applyOutcomes();
    }
    // a holder reads only when a renewal was refused: its writes tell it the rest, and a read would
    // take the VIP's one call slot from the next renewal
    Instant read = lastRead.get(vip);
    boolean due = read == null || (!e.holder() && !now.isBefore(read.plus(timings(config).retryPeriod())));
    if (due && !writing.contains(vip) && !reading.containsKey(vip)) {
      lastRead.put(vip, now);
      reread(e);
      applyOutcomes();
    }
    // only while the last renewal is still good: a write answered after the deadline takes nothing
    boolean inTime = e.fenceAt().map(monotonic.get()::isBefore).orElse(false);
    if (e.holder() && !holding.contains(vip) && inTime) {
      Take t = taking.remove(vip);
      add(vip, config, new Transition(vip, true, t == null ? d.reason() : t.reason(), wall.instant(),
          t == null ? null : t.takeover()), out);
    }
  }

  /**
   * Why a VIP is being taken: the decision's reason and the takeover the Lease records; when the
   * acquiring write was sent and when the Lease it replaces counted as expired (null: not held).
   */
  private record Take(Decision.Reason reason, ElectionPorts.Takeover takeover, Instant sentAt, VipElection.LastRenewal expiry) {}

  private void applyOutcomes() {
    for (Runnable r; (r = outcomes.poll()) != null; ) {
      r.run();
    }
  }

  /** Reads the Lease; the time of the answer counts (a standby measures expiry from it). */
  private void reread(VipElection e) {
    call(e.vip(), false, false, () -> leases.read(e.vip()), (v, at) -> e.observed(v, at));
  }

  private void write(VipElection e, String holder, ElectionTimings t, ElectionPorts.Takeover takeover, Instant now) {
    LeaseView basis = e.lease();
    Instant wallNow = wall.instant();
    String token = writeTokens + "-" + ++writeCount;
    inFlight.put(e.vip(), new VipElection.Renewed(token, now));
    boolean acquiring = holder != null && !e.holder();
    call(e.vip(), true, acquiring, () -> leases.write(e.vip(), basis, holder, t.leaseDuration(), wallNow, takeover, token), (written, at) -> {
      if (written.isPresent()) {
        e.written(written.get(), now);
        Take take = taking.get(e.vip());
        if (take != null && e.holder()) {
          logAcquired(e.vip(), take, at);
        }
      } else {
        lastRead.remove(e.vip()); // 409: someone else wrote; read it at once
      }
      if (!e.holder()) {
        taking.remove(e.vip());
      }
    });
  }

  /**
   * Where a takeover's time went: how late after the old Lease's expiry (as this node counts it)
   * the acquiring write was sent, what dated that expiry, and the write's round trip.
   */
  private static void logAcquired(String vip, Take take, Instant answeredAt) {
    LOG.info("event=ha_lease_acquired vip={} writeMs={} afterExpiryMs={} expiryFrom={}", vip,
        Duration.between(take.sentAt(), answeredAt).toMillis(),
        take.expiry() == null ? "" : Duration.between(take.expiry().at(), take.sentAt()).toMillis(),
        take.expiry() == null ? "" : take.expiry().heard() ? "heartbeat" : "read");
  }

  private void add(String vip, HaVip config, Transition t, List<Transition> out) {
    try {
      long start = System.nanoTime();
      host.add(vip);
      long added = System.nanoTime();
      holding.add(vip);
      if (config.announceCount() > 0) {
        announcements.added(vip, monotonic.get(), config.announceCount(), config.announceInterval());
      } else {
        announcements.added(vip, monotonic.get());
      }
      out.add(t);
      // the first announcement at once, not after the other VIPs' steps: neighbours still send to
      // the dead holder's MAC until it arrives
      if (announcements.due(vip, monotonic.get())) {
        announce(vip);
      }
      LOG.info("event=ha_vip_added vip={} addMs={} announceMs={}", vip, (added - start) / 1_000_000,
          (System.nanoTime() - added) / 1_000_000);
    } catch (RuntimeException ex) {
      LOG.warn("event=vip_add_failed vip={} error=\"{}\"", vip, ex.getMessage());
    }
  }

  private void announce(String vip) {
    try {
      host.announce(vip);
    } catch (RuntimeException ex) {
      LOG.warn("event=vip_announce_failed vip={} error=\"{}\"", vip, ex.getMessage());
    }
  }

  /** Why this node takes the Lease from {@code basis}; null when nobody held it before (or this node did). */
  private ElectionPorts.Takeover takeover(LeaseView basis, HaVip config) {
    if (basis.held()) {
      return basis.heldBy(self) ? null : new ElectionPorts.Takeover(basis.holder(), "HolderLost");
    }
    if (basis.version() == null) {
      return null; // the first election of this VIP
    }
    return new ElectionPorts.Takeover("", self.equals(config.preferred()) && config.preempt() ? "Preempted" : "Released");
  }

  /** Removes the VIP; false when that failed (it stays in {@code holding}, retried on the next step). */
  private boolean drop(String vip) {
    announcements.removed(vip);
    if (!holding.contains(vip)) {
      return true;
    }
    try {
      host.remove(vip);
      holding.remove(vip);
      return true;
    } catch (RuntimeException ex) {
      LOG.error("event=vip_remove_failed vip={} error=\"{}\"", vip, ex.getMessage());
      return false;
    }
  }

  /**
   * Runs a Lease call on {@code calls}; its outcome (and what it says of the API server's
   * reachability) is applied on the step thread, with the time the answer came.
   */
  private <T> void call(String vip, boolean write, boolean urgent, Supplier<T> c,
      java.util.function.BiConsumer<T, Instant> onAnswer) {
    long writes = write ? writesStarted.merge(vip, 1L, Long::sum) : writesStarted.getOrDefault(vip, 0L);
    if (write) {
      writing.add(vip);
    } else {
      reading.put(vip, monotonic.get());
    }
    Runnable done = () -> {
      if (write) {
        writing.remove(vip);
        inFlight.remove(vip);
      } else {
        reading.remove(vip);
        stalled.remove(vip);
      }
    };
    calls.execute(() -> {
      T t;
      try {
        t = c.get();
      } catch (RuntimeException ex) {
        outcomes.add(() -> {
          done.run();
          failed(ex);
        });
        return;
      }
      Instant at = monotonic.get();
      outcomes.add(() -> {
        done.run();
        succeeded(at);
        if (write || writes == writesStarted.getOrDefault(vip, 0L)) {
          onAnswer.accept(t, at);
        }
      });
      if (urgent) {
        stepNow.run();
      }
    });
  }

  private void succeeded(Instant at) {
    boolean wasReachable = api.reachableFor(monotonic.get()).isPresent();
    api.succeeded(at);
    if (!wasReachable) {
      LOG.info("event=ha_api_reachable msg=\"Lease calls answer again\"");
    }
  }

  private void failed(RuntimeException ex) {
    boolean wasReachable = api.reachableFor(monotonic.get()).isPresent();
    api.failed();
    // a standby may take a VIP only after reaching the API server for leaseDuration without a
    // break: each break is worth one line, repeated failures are not
    if (wasReachable) {
      LOG.warn("event=ha_api_unreachable error=\"{}\"", ex.getMessage());
    } else {
      LOG.debug("event=vip_lease_call_failed error=\"{}\"", ex.getMessage());
    }
  }
}
