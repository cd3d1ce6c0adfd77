package io.lvs.agent.ownership;

/**
 * The IPVS timeouts this agent changed, each as the kernel had it before the agent's first write
 * (what it restores when no configuration sets that timeout any more); null: not changed by the
 * agent, not its to restore.
 */
public record OwnedTimeouts(Integer tcpOriginal, Integer tcpFinOriginal, Integer udpOriginal) {
  public static final OwnedTimeouts NONE = new OwnedTimeouts(null, null, null);

  public boolean isEmpty() {
    return tcpOriginal == null && tcpFinOriginal == null && udpOriginal == null;
  }
}
