package io.lvs.agent.runtime.ha;

import static io.lvs.agent.runtime.EnvIntegers.integer;

import java.time.Duration;
import java.util.Map;

/**
 * The agent's HA settings (environment): LVS_NAMESPACE (where the VIP Leases live, default
 * lvs-system, as the operator's), LVS_HA_PORT (the heartbeat's UDP port, default 9721),
 * LVS_HA_API_TIMEOUT_MILLIS (one Lease call's timeout, default 400: calls run off the election
 * thread, one per VIP at a time, so a longer timeout leaves fewer renewal attempts before a fence,
 * never a late fence), LVS_SYNC_ID (0-255, default 0: the backup accepts every
 * sync id, as ipvsadm) and LVS_SYNC_INTERFACE (default: the interface holding this node's director address).
 */
public record HaSettings(String namespace, int port, Duration apiTimeout, int syncId, String syncInterface) {
  public static final Duration STEP = Duration.ofMillis(100);

  public static HaSettings fromEnv(Map<String, String> env) {
    String ns = env.getOrDefault("LVS_NAMESPACE", "lvs-system");
    if (!ns.matches("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")) {
      throw new IllegalArgumentException("LVS_NAMESPACE: \"" + ns + "\" is not a valid namespace name");
    }
    int port = integer(env, "LVS_HA_PORT", 9721, 1, 65_535);
    int timeout = integer(env, "LVS_HA_API_TIMEOUT_MILLIS", 400, 50, 10_000);
    int syncId = integer(env, "LVS_SYNC_ID", 0, 0, 255);
    String iface = env.get("LVS_SYNC_INTERFACE");
    if (iface != null && !iface.isBlank() && !iface.matches("^[^/\\s]{1,15}$")) {
      throw new IllegalArgumentException("LVS_SYNC_INTERFACE: \"" + iface + "\" is not an interface name");
    }
    return new HaSettings(ns, port, Duration.ofMillis(timeout), syncId, iface == null || iface.isBlank() ? null : iface);
  }
}
