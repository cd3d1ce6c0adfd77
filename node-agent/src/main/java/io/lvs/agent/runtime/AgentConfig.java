package io.lvs.agent.runtime;

import static io.lvs.agent.runtime.EnvIntegers.integer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The agent's environment contract: NODE_NAME (required, from the downward API), LVS_STATE_DIR
 * (default /var/lib/lvs-agent), LVS_RESYNC_SECONDS (default 10), LVS_RESYNC_FULL_READ_EVERY (default 8,
 * see {@link #fullReadEvery}), LVS_HTTP_PORT (default 9720, 0 disables the HTTP endpoints).
 *
 * @param fullReadEvery every owned service's destinations are dumped at least once in this many resyncs:
 *     what /proc/net/ip_vs does not show (thresholds, tunnel settings) is repaired within as many; 1 reads
 *     them all on every resync, at about twice the resync's CPU at 10,000 services
 */
public record AgentConfig(String nodeName, Path stateDir, Duration resync, int fullReadEvery, int httpPort,
    Duration statusHeartbeat) {
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(60);
  public static final int DEFAULT_FULL_READ_EVERY = 8;

  public AgentConfig {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(resync, "resync");
    Objects.requireNonNull(statusHeartbeat, "statusHeartbeat");
    if (fullReadEvery < 1) {
      throw new IllegalArgumentException("fullReadEvery " + fullReadEvery + " (>= 1)");
    }
  }

  public AgentConfig(String nodeName, Path stateDir, Duration resync, int httpPort, Duration statusHeartbeat) {
    this(nodeName, stateDir, resync, DEFAULT_FULL_READ_EVERY, httpPort, statusHeartbeat);
  }

  public static AgentConfig fromEnv(Map<String, String> env) {
    String node = env.get("NODE_NAME");
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException("NODE_NAME: required (set it from the downward API, spec.nodeName)");
    }
    if (!node.matches("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")) {
      throw new IllegalArgumentException("NODE_NAME: \"" + node + "\" is not a valid node name");
    }
    Path dir = Path.of(env.getOrDefault("LVS_STATE_DIR", "/var/lib/lvs-agent"));
    int resync = integer(env, "LVS_RESYNC_SECONDS", 10, 1, 86_400);
    int fullReadEvery = integer(env, "LVS_RESYNC_FULL_READ_EVERY", DEFAULT_FULL_READ_EVERY, 1, 1_000);
    int port = integer(env, "LVS_HTTP_PORT", 9720, 0, 65_535);
    return new AgentConfig(node, dir, Duration.ofSeconds(resync), fullReadEvery, port, DEFAULT_HEARTBEAT);
  }
}
