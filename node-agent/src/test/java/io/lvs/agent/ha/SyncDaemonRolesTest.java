package io.lvs.agent.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.ha.SyncDaemonRoles.Op;
import io.lvs.agent.ipvs.SyncDaemon;
import io.lvs.agent.ipvs.SyncDaemon.State;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncDaemonRolesTest {
  private static final SyncDaemon BACKUP = new SyncDaemon(State.BACKUP, "eth0", 7);
  private static final SyncDaemon MASTER = new SyncDaemon(State.MASTER, "eth0", 7);

  @Test
  void aStandbyRunsABackupAndTheHolderAddsAMaster() {
    assertThat(SyncDaemonRoles.plan(true, false, "eth0", 7, List.of(), Set.of())).containsExactly(new Op.Start(BACKUP));
    assertThat(SyncDaemonRoles.plan(true, true, "eth0", 7, List.of(BACKUP), Set.of(State.BACKUP)))
        .containsExactly(new Op.Start(MASTER));
    // the VIP lost: the master stops, the backup stays
    assertThat(SyncDaemonRoles.plan(true, false, "eth0", 7, List.of(MASTER, BACKUP), Set.of(State.MASTER, State.BACKUP)))
        .containsExactly(new Op.Stop(State.MASTER));
    assertThat(SyncDaemonRoles.plan(true, true, "eth0", 7, List.of(MASTER, BACKUP), Set.of(State.MASTER, State.BACKUP)))
        .isEmpty();
  }

  @Test
  void syncOffStopsOnlyWhatThisAgentStarted() {
    SyncDaemon theirs = new SyncDaemon(State.MASTER, "eth1", 51);
    assertThat(SyncDaemonRoles.plan(false, true, "eth0", 7, List.of(theirs, BACKUP), Set.of(State.BACKUP)))
        .containsExactly(new Op.Stop(State.BACKUP));
  }

  @Test
  void aForeignDaemonIsReportedNotReplacedAndChangedSettingsRestartOurs() {
    SyncDaemon keepalived = new SyncDaemon(State.BACKUP, "eth1", 51);
    assertThat(SyncDaemonRoles.plan(true, false, "eth0", 7, List.of(keepalived), Set.of()))
        .containsExactly(new Op.Foreign(keepalived));
    assertThat(SyncDaemonRoles.plan(true, false, "eth0", 8, List.of(BACKUP), Set.of(State.BACKUP)))
        .containsExactly(new Op.Stop(State.BACKUP), new Op.Start(new SyncDaemon(State.BACKUP, "eth0", 8)));
    assertThatThrownBy(() -> SyncDaemonRoles.plan(true, false, "eth0", 256, List.of(), Set.of()))
        .hasMessage("syncId 256 must be 0-255");
  }
}
