package io.lvs.agent.ha;

import java.time.Duration;
import java.time.Instant;

/** A peer's last heartbeat and when this node received it (its own clock). */
public record PeerView(PeerReport report, Instant heardAt) {
  public boolean fresh(Instant now, Duration peerTimeout) {
    return Duration.between(heardAt, now).compareTo(peerTimeout) <= 0;
  }

  /**
   * The longest the peer may have reached the API server without a break by {@code now}: what it
   * said plus the time since (it may have reached it right after saying it did not).
   */
  public Duration reachableAtMost(Instant now) {
    Duration since = Duration.between(heardAt, now);
    return report.apiReachable() ? Duration.ofMillis(report.apiReachableMillis()).plus(since) : since;
  }

  /** The peer reached the API server without a break for at least {@code d}, as of its heartbeat. */
  public boolean reachableFor(Duration d) {
    return report.apiReachable() && report.apiReachableMillis() >= d.toMillis();
  }
}
