package io.lvs.agent.ha;

import java.util.Objects;
import java.util.Set;

/**
 * One director's heartbeat to its peers over the data network: whether it reaches the API server
 * and for how long without a break ({@code apiReachableMillis}, -1: it does not), and which VIPs
 * it holds. {@code seq} grows by one per heartbeat, so a reordered old datagram is ignored.
 */
public record PeerReport(String node, long seq, long apiReachableMillis, Set<String> holding) {
  public static final long UNREACHABLE = -1;

  public PeerReport {
    Objects.requireNonNull(node, "node");
    if (node.isEmpty()) {
      throw new IllegalArgumentException("node must not be empty");
    }
    if (apiReachableMillis < UNREACHABLE) {
      throw new IllegalArgumentException("apiReachableMillis " + apiReachableMillis + " must be >= -1");
    }
    holding = Set.copyOf(holding);
  }

  public boolean apiReachable() {
    return apiReachableMillis >= 0;
  }
}
