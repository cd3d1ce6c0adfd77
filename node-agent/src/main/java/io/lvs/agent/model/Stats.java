package io.lvs.agent.model;

/**
 * IPVS counters and rates (IPVS_STATS_ATTR_*): what ipvsadm -Ln --stats / --rate show. Not part
 * of a service's identity or desired state; carried on observed values only.
 */
public record Stats(
    long connections,
    long inPackets,
    long outPackets,
    long inBytes,
    long outBytes,
    long cps,
    long inPps,
    long outPps,
    long inBps,
    long outBps) {
  public static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
