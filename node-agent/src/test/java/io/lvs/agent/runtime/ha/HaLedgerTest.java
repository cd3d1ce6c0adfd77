package io.lvs.agent.runtime.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.ipvs.SyncDaemon;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.runtime.IpLiterals;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HaLedgerTest {
  @TempDir
  Path dir;

  @Test
  void whatIsRecordedSurvivesARestartAndWhatIsForgottenDoesNot() {
    InterfaceAddress v4 = new InterfaceAddress("eth0", IpLiterals.parse("198.18.0.100"), 32);
    InterfaceAddress v6 = new InterfaceAddress("eth0", IpLiterals.parse("2001:db8::100"), 128);
    HaLedger l = new HaLedger(dir);
    l.address(v4, true);
    l.address(v6, true);
    l.daemon(SyncDaemon.State.BACKUP, true);
    l.daemon(SyncDaemon.State.MASTER, true);
    l.address(v6, false);
    l.daemon(SyncDaemon.State.MASTER, false);
    HaLedger again = new HaLedger(dir);
    assertThat(again.addresses()).containsExactly(v4);
    assertThat(again.owns(v4)).isTrue();
    assertThat(again.daemons()).containsExactly(SyncDaemon.State.BACKUP);
  }

  @Test
  void anUnreadableLedgerFailsLoudly() throws Exception {
    Files.writeString(dir.resolve(HaLedger.FILE_NAME), "{\"addresses\":[{\"interface\":\"eth0\",\"address\":\"x\"}]}");
    assertThatThrownBy(() -> new HaLedger(dir)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(HaLedger.FILE_NAME);
  }
}
