package io.lvs.operator;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, from the environment the chart and e2e set.
 *
 * @param httpPort /healthz /readyz /metrics port; 0 disables
 * @param leaderElection run only while holding the leader Lease
 * @param namespace where the leader and VIP Leases live
 * @param watchNamespaces namespaces of VirtualServices and pools; empty = all
 * @param goneNodeTimeout how long a deleted VirtualService waits for nodes that no longer exist
 * @param sliceMaxEntries soft limit of entries (services, destinations, addresses, sysctls, ...) per
 *     LvsNodeState slice: a change rewrites one slice of about this size
 */
public record Settings(
    int httpPort, boolean leaderElection, String namespace, Set<String> watchNamespaces, Duration goneNodeTimeout,
    int sliceMaxEntries) {

  public static final int DEFAULT_SLICE_MAX_ENTRIES = 256;

  /** Settings with the default slice size. */
  public Settings(int httpPort, boolean leaderElection, String namespace, Set<String> watchNamespaces, Duration goneNodeTimeout) {
    this(httpPort, leaderElection, namespace, watchNamespaces, goneNodeTimeout, DEFAULT_SLICE_MAX_ENTRIES);
  }

  public static Settings fromEnv(Map<String, String> env) {
    int port = Integer.parseInt(env.getOrDefault("LVS_HTTP_PORT", "9710"));
    boolean le = Boolean.parseBoolean(env.getOrDefault("LVS_LEADER_ELECTION", "true"));
    String ns = env.getOrDefault("LVS_NAMESPACE", "lvs-system");
    String watch = env.getOrDefault("LVS_WATCH_NAMESPACES", "");
    Set<String> namespaces =
        Arrays.stream(watch.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    Duration gone = Duration.ofSeconds(Long.parseLong(env.getOrDefault("LVS_GONE_NODE_TIMEOUT_SECONDS", "300")));
    String slice = env.getOrDefault("LVS_NODE_SLICE_MAX_ENTRIES", String.valueOf(DEFAULT_SLICE_MAX_ENTRIES));
    int sliceMax;
    try {
      sliceMax = Integer.parseInt(slice.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("LVS_NODE_SLICE_MAX_ENTRIES: not a whole number: \"" + slice + "\"", e);
    }
    if (sliceMax < 1) {
      throw new IllegalArgumentException("LVS_NODE_SLICE_MAX_ENTRIES: must be at least 1, got " + sliceMax);
    }
    return new Settings(port, le, ns, namespaces, gone, sliceMax);
  }
}
