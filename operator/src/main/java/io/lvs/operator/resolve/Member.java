package io.lvs.operator.resolve;

/**
 * One resolved real server. {@code ready} is what its source says now; {@code draining} means it
 * left the ready set and is kept at weight 0 until its grace period ends. {@code node} is the
 * cluster node it runs on, or null for members outside the cluster.
 */
public record Member(
    String address, int port, int weight, MemberSource source, String node, boolean ready, boolean draining) {

  public MemberKey key() {
    return new MemberKey(address, port);
  }

  /** The weight IPVS must use: 0 while draining or not ready. */
  public int effectiveWeight() {
    return draining || !ready ? 0 : weight;
  }

  Member asDraining() {
    return new Member(address, port, weight, source, node, false, true);
  }
}
