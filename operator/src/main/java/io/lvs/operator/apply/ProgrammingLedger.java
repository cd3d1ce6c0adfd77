package io.lvs.operator.apply;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per (node, owner): the node object's generation at which the operator last changed that owner's
 * entries. An agent report for the owner counts once the agent has observed that generation, so a
 * write for one VirtualService does not make every other one on the node look unprogrammed. In
 * memory: after a restart it is empty and the agents' latest reports are taken as they are.
 */
public final class ProgrammingLedger {
  private final Map<String, Long> changedAt = new ConcurrentHashMap<>();

  public void record(String node, Collection<String> owners, long generation) {
    owners.forEach(o -> changedAt.merge(node + "\n" + o, generation, Math::max));
  }

  /** The generation a report must have observed to speak about this owner's current entries. */
  public long since(String node, String owner) {
    return changedAt.getOrDefault(node + "\n" + owner, 0L);
  }
}
