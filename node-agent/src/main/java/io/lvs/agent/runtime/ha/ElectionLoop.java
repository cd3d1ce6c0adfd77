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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps every VIP election of this director and performs what they decide, in the order that keeps
 * two holders apart: the VIP removed before a release is written, added only after the write naming
 * this node succeeded, then announced. Single-threaded: {@link #step} runs on one thread (every
 * 100 ms in production); {@link #heard} may be called from the heartbeat receiver's.
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
  /** The longest a Lease call may block (the API client's timeout). */
  private final Duration callTimeout;
  private final ApiReachability api = new ApiReachability();
  private final Map<String, VipElection> elections = new TreeMap<>();
  private final Map<String, HaVip> configs = new TreeMap<>();
  private final Map<String, Instant> lastRead = new TreeMap<>();
  private final Set<String> holding = new TreeSet<>();
  private final ConcurrentLinkedQueue<PeerView> inbox = new ConcurrentLinkedQueue<>();
  /** {@code holding} and its renewals as of the last step, for the heartbeat sender's thread. */
  private volatile Published published = new Published(Set.of(), Map.of(), false);
  /** Released when what the heartbeat says changed, so the sender need not wait out its interval. */
  private final Semaphore reportChanged = new Semaphore(0);
  private boolean failedThisStep;

  /**
   * {@code callTimeout}: the longest a Lease call may block (the API client's timeout); a holder
   * starts no call that could still block when its renewDeadline passes.
   */
  public ElectionLoop(String self, ElectionTimings timings, Supplier<Instant> monotonic, Clock wall,
      ElectionPorts.Leases leases, ElectionPorts.VipHost host, Announcements announcements, Duration callTimeout) {
    this.self = self;
    this.timings = timings;
    this.monotonic = monotonic;
    this.wall = wall;
    this.leases = leases;
    this.host = host;
    this.announcements = announcements;
    this.callTimeout = callTimeout;
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
    Map<String, PeerReport.Renewal> renewals = new TreeMap<>();
    p.renewals().forEach((vip, r) -> renewals.put(vip,
        new PeerReport.Renewal(r.version(), Math.max(0, Duration.between(r.sentAt(), now).toMillis()))));
    return new PeerReport(self, seq, api.millis(now), p.holding(), renewals);
  }

  /**
   * Waits up to {@code max} for the heartbeat's content to change (a VIP taken or given up, the
   * API server lost or found): peers then learn it at once, not an interval later. A holder keeps
   * its VIP through an outage only once every peer said it cannot reach the API server either, so
   * that news must not wait. True when it changed.
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
    failedThisStep = false;
    for (PeerView v; (v = inbox.poll()) != null; ) {
      peers.heard(v);
    }
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
      try {
        host.announce(vip);
      } catch (RuntimeException ex) {
        LOG.warn("event=vip_announce_failed vip={} error=\"{}\"", vip, ex.getMessage());
      }
    }
    publish();
    return out;
  }

  private void publish() {
    Map<String, VipElection.Renewed> renewals = new TreeMap<>();
    for (String vip : holding) {
      Optional.ofNullable(elections.get(vip)).flatMap(VipElection::renewed).filter(r -> r.version() != null)
          .ifPresent(r -> renewals.put(vip, r));
    }
    Published was = published;
    Published next = new Published(Set.copyOf(holding), Map.copyOf(renewals),
        api.reachableFor(monotonic.get()).isPresent());
    published = next;
    if (!next.holding().equals(was.holding()) || next.apiReachable() != was.apiReachable()) {
      reportChanged.release();
    }
  }

  /** What the heartbeat sender reads: the VIPs held, their last renewals, whether the API server answers. */
  private record Published(Set<String> holding, Map<String, VipElection.Renewed> renewals, boolean apiReachable) {}

  private void stepOne(VipElection e, List<Transition> out) {
    String vip = e.vip();
    Instant now = monotonic.get();
    Instant read = lastRead.get(vip);
    HaVip config = configs.get(vip);
    Decision d = e.step(now);
    if (!d.holdVip() && holding.contains(vip) && drop(vip)) {
      out.add(new Transition(vip, false, d.reason(), wall.instant()));
    }
    // a release only once the VIP is really gone
    boolean mayWrite = d.lease() != Decision.LeaseAction.RELEASE || !holding.contains(vip);
    ElectionPorts.Takeover takeover = null;
    if (d.lease() != Decision.LeaseAction.NONE && mayWrite && callFits(e)) {
      takeover = d.lease() == Decision.LeaseAction.ACQUIRE ? takeover(e.lease(), config) : null;
      write(e, d.lease() == Decision.LeaseAction.RELEASE ? null : self, timings(config), takeover, now);
    }
    // read after deciding and dropping: a read that hangs on a partition never delays a fence
    if ((read == null || !now.isBefore(read.plus(timings(config).retryPeriod()))) && callFits(e)) {
      lastRead.put(vip, now);
      reread(e);
    }
    if (e.holder() && !holding.contains(vip)) {
      add(vip, config, new Transition(vip, true, d.reason(), wall.instant(), takeover), out);
    }
  }

  /**
   * Whether a Lease call may start now: not for a holder whose call could still block when its
   * renewDeadline passes, so the fence in the next step is never late by a call's timeout (past
   * the deadline, holding through an outage, calls go on: that is how the holder renews after it).
   */
  private boolean callFits(VipElection e) {
    Instant now = monotonic.get();
    return e.fenceAt().map(f -> !now.isBefore(f) || !now.plus(callTimeout).isAfter(f)).orElse(true);
  }

  /** Reads the Lease; the time of the answer counts (a standby measures expiry from it). */
  private void reread(VipElection e) {
    call(() -> {
      LeaseView v = leases.read(e.vip());
      e.observed(v, monotonic.get());
      return null;
    });
  }

  private void write(VipElection e, String holder, ElectionTimings t, ElectionPorts.Takeover takeover, Instant now) {
    LeaseView basis = e.lease();
    Optional<LeaseView> written =
        call(() -> leases.write(e.vip(), basis, holder, t.leaseDuration(), wall.instant(), takeover));
    if (written != null && written.isPresent()) {
      e.written(written.get(), now);
    } else if (written != null) {
      reread(e); // 409: someone else wrote
    }
  }

  private void add(String vip, HaVip config, Transition t, List<Transition> out) {
    try {
      host.add(vip);
      holding.add(vip);
      if (config.announceCount() > 0) {
        announcements.added(vip, monotonic.get(), config.announceCount(), config.announceInterval());
      } else {
        announcements.added(vip, monotonic.get());
      }
      out.add(t);
    } catch (RuntimeException ex) {
      LOG.warn("event=vip_add_failed vip={} error=\"{}\"", vip, ex.getMessage());
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

  /** An API call: its outcome is the API server's reachability; null when it failed. */
  private <T> T call(Supplier<T> c) {
    if (failedThisStep) {
      return null; // one failed (perhaps timed-out) call per pass: N VIPs must not add up N timeouts
    }
    boolean wasReachable = api.reachableFor(monotonic.get()).isPresent();
    try {
      T t = c.get();
      api.succeeded(monotonic.get());
      if (!wasReachable) {
        LOG.info("event=ha_api_reachable msg=\"Lease calls answer again\"");
      }
      return t;
    } catch (RuntimeException ex) {
      api.failed();
      failedThisStep = true;
      // a standby may take a VIP only after reaching the API server for leaseDuration without a
      // break: each break is worth one line, repeated failures are not
      if (wasReachable) {
        LOG.warn("event=ha_api_unreachable error=\"{}\"", ex.getMessage());
      } else {
        LOG.debug("event=vip_lease_call_failed error=\"{}\"", ex.getMessage());
      }
      return null;
    }
  }
}
