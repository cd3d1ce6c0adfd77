package io.lvs.agent.ha;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One director's heartbeat to its peers over the data network: whether it reaches the API server
 * and for how long without a break ({@code apiReachableMillis}, -1: it does not), which VIPs it
 * holds, and for each held VIP its last successful Lease renewal ({@code renewals}) and the renewal
 * still in flight ({@code writing}: the write's token, and how long ago it was sent). {@code seq}
 * grows by one per heartbeat, so a reordered old datagram is ignored.
 */
public record PeerReport(String node, long seq, long apiReachableMillis, Set<String> holding,
    Map<String, Renewal> renewals, Map<String, Renewal> writing) {
  public static final long UNREACHABLE = -1;

  /**
   * A renewal of a VIP's Lease and how long before this heartbeat it was sent: in {@code renewals}
   * the last successful one, named by the version it produced; in {@code writing} the one in
   * flight, named by its write token. A standby that reads that version (or token) counts the
   * Lease's expiry from then rather than from its own read, which comes later by up to a retry
   * period and a call.
   */
  public record Renewal(String version, long agoMillis) {
    public Renewal {
      Objects.requireNonNull(version, "version");
      if (agoMillis < 0) {
        throw new IllegalArgumentException("agoMillis " + agoMillis + " must be >= 0");
      }
    }
  }

  public PeerReport {
    Objects.requireNonNull(node, "node");
    if (node.isEmpty()) {
      throw new IllegalArgumentException("node must not be empty");
    }
    if (apiReachableMillis < UNREACHABLE) {
      throw new IllegalArgumentException("apiReachableMillis " + apiReachableMillis + " must be >= -1");
    }
    holding = Set.copyOf(holding);
    renewals = Map.copyOf(renewals);
    writing = Map.copyOf(writing);
    if (!holding.containsAll(renewals.keySet())) {
      throw new IllegalArgumentException("renewals " + renewals.keySet() + " of VIPs not held " + holding);
    }
    if (!holding.containsAll(writing.keySet())) {
      throw new IllegalArgumentException("writes " + writing.keySet() + " of VIPs not held " + holding);
    }
  }

  /** A heartbeat with no renewal in flight. */
  public PeerReport(String node, long seq, long apiReachableMillis, Set<String> holding, Map<String, Renewal> renewals) {
    this(node, seq, apiReachableMillis, holding, renewals, Map.of());
  }

  /** A heartbeat that says nothing of renewals. */
  public PeerReport(String node, long seq, long apiReachableMillis, Set<String> holding) {
    this(node, seq, apiReachableMillis, holding, Map.of());
  }

  public boolean apiReachable() {
    return apiReachableMillis >= 0;
  }
}
