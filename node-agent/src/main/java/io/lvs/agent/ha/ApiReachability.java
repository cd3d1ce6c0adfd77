package io.lvs.agent.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether this node reaches the API server, and since when without a break: every API call's
 * outcome is recorded here; the heartbeat tells the peers, and the election's acquisition gate
 * reads it. Written by the election loop only; read by the heartbeat sender too (hence volatile).
 */
public final class ApiReachability {
  private volatile Instant since;

  public void succeeded(Instant at) {
    if (since == null) {
      since = at;
    }
  }

  public void failed() {
    since = null;
  }

  /** For how long the API server has answered without a break, or empty while it does not. */
  public Optional<Duration> reachableFor(Instant now) {
    return since == null ? Optional.empty() : Optional.of(Duration.between(since, now));
  }

  /** As a heartbeat carries it: milliseconds, or {@link PeerReport#UNREACHABLE}. */
  public long millis(Instant now) {
    return reachableFor(now).map(Duration::toMillis).orElse(PeerReport.UNREACHABLE);
  }
}
