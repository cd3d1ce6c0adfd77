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
 */
public record Settings(
    int httpPort, boolean leaderElection, String namespace, Set<String> watchNamespaces, Duration goneNodeTimeout) {

  public static Settings fromEnv(Map<String, String> env) {
    int port = Integer.parseInt(env.getOrDefault("LVS_HTTP_PORT", "9710"));
    boolean le = Boolean.parseBoolean(env.getOrDefault("LVS_LEADER_ELECTION", "true"));
    String ns = env.getOrDefault("LVS_NAMESPACE", "lvs-system");
    String watch = env.getOrDefault("LVS_WATCH_NAMESPACES", "");
    Set<String> namespaces =
        Arrays.stream(watch.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    Duration gone = Duration.ofSeconds(Long.parseLong(env.getOrDefault("LVS_GONE_NODE_TIMEOUT_SECONDS", "300")));
    return new Settings(port, le, ns, namespaces, gone);
  }
}
