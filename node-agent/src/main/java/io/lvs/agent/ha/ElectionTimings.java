package io.lvs.agent.ha;

import io.lvs.api.v1alpha1.FailoverTimings;
import java.time.Duration;
import java.util.Objects;

/**
 * The election's clocks. The holder renews its Lease every {@code retryPeriod} and gives the VIP
 * up once its last successful renewal was sent {@code renewDeadline} ago (unless every peer
 * confirms an API-server outage); a standby takes an expired Lease only after it has seen it
 * unchanged for {@code leaseDuration}. A peer not heard for {@code peerTimeout} counts as unknown.
 * The bounds below are what the safety argument in docs/ha.md needs.
 */
public record ElectionTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, Duration peerTimeout) {
  /** Defaults, the CRD's: a dead holder's VIP moves about 1.75 s after its last renewal (docs/ha.md, "Timings"). */
  public static final ElectionTimings DEFAULT = new ElectionTimings(Duration.ofMillis(FailoverTimings.LEASE_DURATION),
      Duration.ofMillis(FailoverTimings.RENEW_DEADLINE), Duration.ofMillis(FailoverTimings.RETRY_PERIOD),
      Duration.ofMillis(FailoverTimings.PEER_TIMEOUT));

  public ElectionTimings {
    Objects.requireNonNull(leaseDuration, "leaseDuration");
    Objects.requireNonNull(renewDeadline, "renewDeadline");
    Objects.requireNonNull(retryPeriod, "retryPeriod");
    Objects.requireNonNull(peerTimeout, "peerTimeout");
    positive("retryPeriod", retryPeriod);
    positive("peerTimeout", peerTimeout);
    if (renewDeadline.compareTo(retryPeriod) <= 0) {
      throw new IllegalArgumentException("renewDeadline " + renewDeadline + " must be longer than retryPeriod " + retryPeriod);
    }
    // the holder must be gone (renewDeadline, plus one retry to act) before a standby may take over
    if (renewDeadline.plus(retryPeriod).compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException("leaseDuration " + leaseDuration + " must be longer than renewDeadline "
          + renewDeadline + " + retryPeriod " + retryPeriod);
    }
    // a peer's "API unreachable" must be able to vouch for it for longer than it could take to acquire
    if (peerTimeout.plus(retryPeriod).compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException("leaseDuration " + leaseDuration + " must be longer than peerTimeout "
          + peerTimeout + " + retryPeriod " + retryPeriod);
    }
  }

  private static void positive(String field, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " " + d + " must be positive");
    }
  }
}
