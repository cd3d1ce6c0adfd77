package io.lvs.agent.ha;

import io.lvs.agent.ha.Decision.LeaseAction;
import io.lvs.agent.ha.Decision.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One VIP's election on one director (docs/ha.md, "The election"). The holder renews the VIP's
 * Lease itself; it gives the VIP up once its last successful renewal was sent {@code renewDeadline}
 * ago, unless every peer is heard and none could have reached the API server for long enough to
 * take the Lease. A standby takes the Lease only when it is released, or when it has seen it
 * unchanged for {@code leaseDuration} and has itself reached the API server for that long, and no
 * fresh peer says it holds the VIP. Driven by {@link #step}; time comes from the caller.
 */
public final class VipElection {
  private final String vip;
  private final String self;
  private final String preferred;
  private final boolean preempt;
  private final ElectionTimings t;
  private final Peers peers;
  private final ApiReachability api;

  private LeaseView lease = LeaseView.ABSENT;
  private Instant leaseChangedAt;
  private boolean holder;
  private Instant renewedAt;
  private String renewedVersion;
  private Instant lastAttemptAt;
  private Instant eligibleSince;
  private Instant startedAt;
  private Reason lost;

  /** {@code preferred}: the director that holds the VIP when it can (null: none preferred). */
  public VipElection(String vip, String self, String preferred, boolean preempt, ElectionTimings timings,
      Peers peers, ApiReachability api) {
    this.vip = Objects.requireNonNull(vip, "vip");
    this.self = Objects.requireNonNull(self, "self");
    this.preferred = preferred;
    this.preempt = preempt;
    this.t = Objects.requireNonNull(timings, "timings");
    this.peers = Objects.requireNonNull(peers, "peers");
    this.api = Objects.requireNonNull(api, "api");
  }

  public String vip() {
    return vip;
  }

  public LeaseView lease() {
    return lease;
  }

  /** The Lease as read (watch, list or a conflict's re-read) at {@code at}. */
  public void observed(LeaseView v, Instant at) {
    if (!v.equals(lease)) {
      lease = v;
      leaseChangedAt = at;
    }
    if (holder && !v.heldBy(self)) {
      holder = false;
      lost = Reason.LEASE_LOST;
    }
  }

  /** Our write of the Lease, sent at {@code sentAt}, succeeded and the Lease is now {@code v}. */
  public void written(LeaseView v, Instant sentAt) {
    lease = v;
    leaseChangedAt = sentAt;
    if (v.heldBy(self)) {
      // nobody else may take it before sentAt + leaseDuration; step() fences if even that is overdue
      holder = true;
      if (renewedAt == null || sentAt.isAfter(renewedAt)) {
        renewedAt = sentAt;
        renewedVersion = v.version();
      }
    } else {
      holder = false;
    }
  }

  public Decision step(Instant now) {
    return step(now, true);
  }

  /**
   * {@code mayCall}: whether a Lease call could start now (the caller runs one per VIP at a time);
   * when not, the step decides no Lease action and a due renewal or acquisition stays due.
   */
  public Decision step(Instant now, boolean mayCall) {
    if (startedAt == null) {
      startedAt = now;
    }
    if (lost != null) {
      Reason r = lost;
      lost = null;
      return new Decision(false, LeaseAction.NONE, r);
    }
    return holder ? holderStep(now, mayCall) : standbyStep(now, mayCall);
  }

  private Decision holderStep(Instant now, boolean mayCall) {
    boolean overdue = !now.isBefore(renewedAt.plus(t.renewDeadline()));
    if (!overdue && mayCall && preempt && betterPeerReady(now)) {
      holder = false;
      return attempt(now, new Decision(false, LeaseAction.RELEASE, Reason.PREEMPTED));
    }
    if (!overdue) {
      return renew(now, mayCall, Reason.HOLDING);
    }
    if (outageConfirmed(now)) {
      return renew(now, mayCall, Reason.HOLDING_THROUGH_API_OUTAGE);
    }
    // every peer heard and none holding: one retryPeriod more for their word that the API server is
    // gone for them too (a peer learns it only when its own call fails); within what
    // renewDeadline + retryPeriod < leaseDuration leaves before any standby may take over
    if (now.isBefore(renewedAt.plus(t.renewDeadline()).plus(t.retryPeriod())) && peersHeardNoneHolding(now)) {
      return renew(now, mayCall, Reason.HOLDING);
    }
    holder = false;
    return new Decision(false, LeaseAction.NONE, Reason.FENCED);
  }

  private Decision renew(Instant now, boolean mayCall, Reason r) {
    return mayCall && due(now) ? attempt(now, new Decision(true, LeaseAction.RENEW, r)) : new Decision(true, LeaseAction.NONE, r);
  }

  private Decision standbyStep(Instant now, boolean mayCall) {
    if (!eligible(now)) {
      eligibleSince = null;
      return new Decision(false, LeaseAction.NONE, Reason.STANDBY);
    }
    if (eligibleSince == null) {
      eligibleSince = now;
    }
    // better-ranked candidates get one retryPeriod each to go first (VRRP's skew time, in spirit)
    Duration backoff = t.retryPeriod().multipliedBy(betterCandidates(now));
    if (now.isBefore(eligibleSince.plus(backoff)) || !mayCall || !due(now)) {
      return new Decision(false, LeaseAction.NONE, Reason.STANDBY);
    }
    return attempt(now, new Decision(false, LeaseAction.ACQUIRE, Reason.STANDBY));
  }

  private boolean eligible(Instant now) {
    // a director just started listens for one peerTimeout first, to hear who holds and who ranks higher
    if (now.isBefore(startedAt.plus(t.peerTimeout())) || api.reachableFor(now).isEmpty() || peerHolds(now)
        || (preempt && betterPeerReady(now))) {
      return false;
    }
    if (!lease.held()) {
      return true;
    }
    // held by anyone, this node included (a fenced or restarted holder): only once expired, and only
    // after reaching the API server for as long as a holder may keep it through an outage
    return !now.isBefore(lastRenewal().at().plus(t.leaseDuration()))
        && api.reachableFor(now).get().compareTo(t.leaseDuration()) >= 0;
  }

  /**
   * When the Lease as last read was written, at the latest: when this node saw it change, or
   * earlier when a peer's heartbeat named that write (the version it produced, or its token) and
   * how long before it had sent it. Receipt minus that age is never before the real send (the
   * datagram took some time), so the holder, fencing at send + renewDeadline, is still gone before
   * send + leaseDuration. A token names one write only, so a heartbeat cannot date a later one.
   */
  private LastRenewal lastRenewal() {
    LastRenewal last = new LastRenewal(leaseChangedAt, false);
    for (String p : peers.all()) {
      PeerView v = peers.view(p).orElse(null);
      if (v == null) {
        continue;
      }
      // the renewal it last saw succeed, or the one it had in flight (which may have reached the
      // API server without its answer reaching the holder: a holder that dies mid-write)
      PeerReport.Renewal done = v.report().renewals().get(vip);
      PeerReport.Renewal sending = v.report().writing().get(vip);
      PeerReport.Renewal r = done != null && done.version().equals(lease.version()) ? done
          : sending != null && sending.version().equals(lease.write()) ? sending : null;
      if (r != null) {
        Instant sent = v.heardAt().minusMillis(r.agoMillis());
        last = sent.isBefore(last.at()) ? new LastRenewal(sent, true) : last;
      }
    }
    return last;
  }

  /**
   * When the Lease as last read was renewed: {@code heard} when a peer's heartbeat dated it, else
   * when this node's read first saw it (later than the real renewal by up to a retryPeriod and a call).
   */
  public record LastRenewal(Instant at, boolean heard) {}

  /** While another director's Lease is held: when this node counts it expired (for the takeover's log). */
  public java.util.Optional<LastRenewal> expiry() {
    if (holder || !lease.held() || leaseChangedAt == null) {
      return java.util.Optional.empty();
    }
    LastRenewal last = lastRenewal();
    return java.util.Optional.of(new LastRenewal(last.at().plus(t.leaseDuration()), last.heard()));
  }

  /** Every peer is heard, none says it holds the VIP, none could have reached the API server for long. */
  boolean outageConfirmed(Instant now) {
    return peersHeardNoneHolding(now) && peers.all().stream().map(peers::view).flatMap(java.util.Optional::stream)
        .allMatch(v -> v.reachableAtMost(now).plus(t.retryPeriod()).compareTo(t.leaseDuration()) < 0);
  }

  private boolean peersHeardNoneHolding(Instant now) {
    for (String p : peers.all()) {
      PeerView v = peers.view(p).orElse(null);
      if (v == null || !v.fresh(now, t.peerTimeout()) || v.report().holding().contains(vip)) {
        return false;
      }
    }
    return true;
  }

  private boolean peerHolds(Instant now) {
    return peers.all().stream().map(peers::view).flatMap(java.util.Optional::stream)
        .anyMatch(v -> v.fresh(now, t.peerTimeout()) && v.report().holding().contains(vip));
  }

  private boolean betterPeerReady(Instant now) {
    if (preferred == null || preferred.equals(self)) {
      return false;
    }
    return peers.view(preferred).filter(v -> v.fresh(now, t.peerTimeout()) && v.reachableFor(t.leaseDuration())
        && !v.report().holding().contains(vip)).isPresent();
  }

  /** Fresh peers that reach the API server and would take the VIP before this node. */
  private int betterCandidates(Instant now) {
    Comparator<String> rank = Comparator.comparing((String n) -> !n.equals(preferred)).thenComparing(n -> n);
    return (int) peers.all().stream().filter(n -> rank.compare(n, self) < 0).map(peers::view)
        .flatMap(java.util.Optional::stream)
        .filter(v -> v.fresh(now, t.peerTimeout()) && v.report().apiReachable()).count();
  }

  private boolean due(Instant now) {
    return lastAttemptAt == null || !now.isBefore(lastAttemptAt.plus(t.retryPeriod()));
  }

  private Decision attempt(Instant now, Decision d) {
    lastAttemptAt = now;
    return d;
  }

  public boolean holder() {
    return holder;
  }

  /** While holding: the Lease version of the last successful renewal and when it was sent. */
  public java.util.Optional<Renewed> renewed() {
    return holder && renewedAt != null ? java.util.Optional.of(new Renewed(renewedVersion, renewedAt))
        : java.util.Optional.empty();
  }

  /** A renewal this node made: the Lease version it produced (in flight: its write token), sent at {@code sentAt} (monotonic). */
  public record Renewed(String version, Instant sentAt) {}

  /** While holding: when the VIP must be gone unless renewed (last successful renewal + renewDeadline). */
  public java.util.Optional<Instant> fenceAt() {
    return holder && renewedAt != null ? java.util.Optional.of(renewedAt.plus(t.renewDeadline())) : java.util.Optional.empty();
  }
}
