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
 * @param lease the leader Lease's timings
 * @param reconcileThreads reconciliations running at once, all controllers together
 */
public record Settings(
    int httpPort, boolean leaderElection, String namespace, Set<String> watchNamespaces, Duration goneNodeTimeout,
    int sliceMaxEntries, LeaseTiming lease, int reconcileThreads) {

  public static final int DEFAULT_SLICE_MAX_ENTRIES = 256;

  /**
   * Few enough that the leader's renewal is not starved by a burst under the chart's 1-CPU limit
   * (JOSDK's default of 50 lost the Lease at 1,000 VirtualServices, docs/benchmarks.md).
   */
  public static final int DEFAULT_RECONCILE_THREADS = 8;

  /**
   * How long a leader's Lease lasts, how long it keeps trying to renew before it gives up the lead
   * (and the process exits), and how often it tries; checked as client-go checks them.
   */
  public record LeaseTiming(Duration duration, Duration renewDeadline, Duration retryPeriod) {
    /** Twice kube-controller-manager's 15/10/2 s: a busy leader keeps the lead; a crashed one is replaced within 30 s. */
    public static final LeaseTiming DEFAULT =
        new LeaseTiming(Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(4));

    public LeaseTiming {
      if (retryPeriod.isNegative() || retryPeriod.isZero() || renewDeadline.compareTo(retryPeriod) <= 0 || duration.compareTo(renewDeadline) <= 0) {
        throw new IllegalArgumentException("leader Lease timings must satisfy 0 < LVS_LEASE_RETRY_PERIOD_SECONDS ("
            + retryPeriod.toSeconds() + ") < LVS_LEASE_RENEW_DEADLINE_SECONDS (" + renewDeadline.toSeconds()
            + ") < LVS_LEASE_DURATION_SECONDS (" + duration.toSeconds() + ")");
      }
    }
  }

  /** Settings with the default slice size, Lease timings and reconcile threads. */
  public Settings(int httpPort, boolean leaderElection, String namespace, Set<String> watchNamespaces, Duration goneNodeTimeout) {
    this(httpPort, leaderElection, namespace, watchNamespaces, goneNodeTimeout, DEFAULT_SLICE_MAX_ENTRIES,
        LeaseTiming.DEFAULT, DEFAULT_RECONCILE_THREADS);
  }

  public Settings withSliceMaxEntries(int entries) {
    return new Settings(httpPort, leaderElection, namespace, watchNamespaces, goneNodeTimeout, entries, lease,
        reconcileThreads);
  }

  public static Settings fromEnv(Map<String, String> env) {
    int port = Integer.parseInt(env.getOrDefault("LVS_HTTP_PORT", "9710"));
    boolean le = Boolean.parseBoolean(env.getOrDefault("LVS_LEADER_ELECTION", "true"));
    String ns = env.getOrDefault("LVS_NAMESPACE", "lvs-system");
    String watch = env.getOrDefault("LVS_WATCH_NAMESPACES", "");
    Set<String> namespaces =
        Arrays.stream(watch.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    Duration gone = Duration.ofSeconds(Long.parseLong(env.getOrDefault("LVS_GONE_NODE_TIMEOUT_SECONDS", "300")));
    int sliceMax = positive(env, "LVS_NODE_SLICE_MAX_ENTRIES", DEFAULT_SLICE_MAX_ENTRIES);
    LeaseTiming lease = new LeaseTiming(
        seconds(env, "LVS_LEASE_DURATION_SECONDS", LeaseTiming.DEFAULT.duration()),
        seconds(env, "LVS_LEASE_RENEW_DEADLINE_SECONDS", LeaseTiming.DEFAULT.renewDeadline()),
        seconds(env, "LVS_LEASE_RETRY_PERIOD_SECONDS", LeaseTiming.DEFAULT.retryPeriod()));
    int threads = positive(env, "LVS_RECONCILE_THREADS", DEFAULT_RECONCILE_THREADS);
    return new Settings(port, le, ns, namespaces, gone, sliceMax, lease, threads);
  }

  private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
    return Duration.ofSeconds(positive(env, name, (int) fallback.toSeconds()));
  }

  private static int positive(Map<String, String> env, String name, int fallback) {
    String raw = env.getOrDefault(name, String.valueOf(fallback));
    int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": not a whole number: \"" + raw + "\"", e);
    }
    if (value < 1) {
      throw new IllegalArgumentException(name + ": must be at least 1, got " + value);
    }
    return value;
  }
}
