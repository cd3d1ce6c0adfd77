package io.lvs.agent.ipvs;

/** A connection sync daemon (ipvsadm --start-daemon master|backup --mcast-interface I --syncid N). */
public record SyncDaemon(State state, String interfaceName, int syncId) {
  /** IP_VS_STATE_MASTER = 1, IP_VS_STATE_BACKUP = 2. */
  public enum State {
    MASTER(1),
    BACKUP(2);

    private final int value;

    State(int value) {
      this.value = value;
    }

    public int value() {
      return value;
    }
  }
}
