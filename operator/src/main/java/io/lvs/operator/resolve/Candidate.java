package io.lvs.operator.resolve;

/**
 * A member as one source sees it, before weights and draining: address, port, the node it runs on,
 * whether the source calls it ready, and the weight the source itself carries (static only).
 */
public record Candidate(
    String address, int port, String node, boolean ready, MemberSource source, Integer ownWeight) {

  public MemberKey key() {
    return new MemberKey(address, port);
  }
}
