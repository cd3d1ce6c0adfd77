package io.lvs.agent.ha;

import io.lvs.agent.ipvs.SyncDaemon;
import io.lvs.agent.ipvs.SyncDaemon.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which IPVS sync daemons a director runs (docs/ha.md, "Connection synchronisation"): a backup
 * always, so a standby already has the holder's connections when it takes over, and a master while
 * it holds a VIP. Pure: it compares that with the daemons the kernel runs and the ones this agent
 * started, and never stops or replaces a daemon it did not start (keepalived's, a hand-made one).
 */
public final class SyncDaemonRoles {
  private SyncDaemonRoles() {}

  /** One step towards the wanted daemons. */
  public sealed interface Op {
    record Start(SyncDaemon daemon) implements Op {}

    record Stop(State state) implements Op {}

    /** A daemon of a state we want runs, but not one we started: reported, left alone. */
    record Foreign(SyncDaemon running) implements Op {}
  }

  /**
   * @param enabled    connection sync on for this node
   * @param holding    this node holds at least one VIP
   * @param iface      the sync interface; {@code syncId} the sync id (0-255)
   * @param running    what the kernel runs (IPVS_CMD_GET_DAEMON)
   * @param owned      the states whose daemon this agent started
   */
  public static List<Op> plan(boolean enabled, boolean holding, String iface, int syncId, List<SyncDaemon> running,
      Set<State> owned) {
    if (syncId < 0 || syncId > 255) {
      throw new IllegalArgumentException("syncId " + syncId + " must be 0-255");
    }
    List<Op> out = new ArrayList<>();
    for (State s : State.values()) {
      boolean want = enabled && (s == State.BACKUP || holding);
      SyncDaemon wanted = new SyncDaemon(s, iface, syncId);
      Optional<SyncDaemon> have = running.stream().filter(d -> d.state() == s).findFirst();
      if (have.isEmpty()) {
        if (want) {
          out.add(new Op.Start(wanted));
        }
      } else if (!owned.contains(s)) {
        if (want) {
          out.add(new Op.Foreign(have.get()));
        }
      } else if (!want) {
        out.add(new Op.Stop(s));
      } else if (!have.get().equals(wanted)) {
        out.add(new Op.Stop(s)); // the kernel cannot change a running daemon's settings
        out.add(new Op.Start(wanted));
      }
    }
    return out;
  }
}
