package io.lvs.agent.ha;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One director's heartbeat to its peers over the data network: whether it reaches the API server
 * and for how long without a break ({@code apiReachableMillis}, -1: it does not), which VIPs it
 * holds, and for each held VIP its last successful Lease renewal ({@code renewals}). {@code seq}
 * grows by one per heartbeat, so a reordered old datagram is ignored.
 */
public record PeerReport(String node, long seq, long apiReachableMillis, Set<String> holding,
    Map<String, Renewal> renewals) {
  public static final long UNREACHABLE = -1;

  /**
   * The holder's last successful renewal of a VIP's Lease: the version it produced and how long
   * before this heartbeat it was sent. A standby that reads the same version counts the Lease's
   * expiry from then rather than from its own read, which comes later by up to a retry period.
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
    if (!holding.containsAll(renewals.keySet())) {
      throw new IllegalArgumentException("renewals " + renewals.keySet() + " of VIPs not held " + holding);
    }
  }

  /** A heartbeat that says nothing of renewals. */
  public PeerReport(String node, long seq, long apiReachableMillis, Set<String> holding) {
    this(node, seq, apiReachableMillis, holding, Map.of());
  }

  public boolean apiReachable() {
    return apiReachableMillis >= 0;
  }
}
