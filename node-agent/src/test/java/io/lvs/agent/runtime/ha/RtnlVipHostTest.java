package io.lvs.agent.runtime.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.fake.FakeKernel;
import io.lvs.agent.ipvs.SyncDaemon;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.runtime.IpLiterals;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VIP host and the sync daemon steps against the kernel fakes: only what the agent created is touched. */
class RtnlVipHostTest {
  static final String VIP = "198.18.0.100";
  static final InterfaceAddress A = new InterfaceAddress("eth0", IpLiterals.parse(VIP), 32);
  @TempDir
  Path dir;
  final FakeKernel kernel = new FakeKernel();

  RtnlVipHost host() {
    RtnlVipHost h = new RtnlVipHost(kernel.rtnl(), new HaLedger(dir));
    h.configure(Map.of(VIP, A));
    return h;
  }

  @Test
  void addAnnounceRemove() {
    kernel.rtnl().createLink("eth0", null, true);
    RtnlVipHost h = host();
    h.add(VIP);
    h.announce(VIP);
    assertThat(kernel.rtnl().addresses()).contains(A);
    assertThat(kernel.rtnl().announced()).containsExactly(A);
    h.remove(VIP);
    assertThat(kernel.rtnl().addresses()).doesNotContain(A);
  }

  @Test
  void aHeldVipDeletedByHandIsAddedAgain() {
    kernel.rtnl().createLink("eth0", null, true);
    RtnlVipHost h = host();
    h.add(VIP);
    assertThat(h.ensure(VIP)).as("present: nothing to do").isFalse();
    kernel.rtnl().deleteAddress(A);
    assertThat(h.ensure(VIP)).isTrue();
    assertThat(kernel.rtnl().addresses()).contains(A);
  }

  @Test
  void anAddressTheAgentDidNotAddIsRefusedAndNeverRemoved() {
    kernel.rtnl().createLink("eth0", null, true);
    kernel.rtnl().addAddress(A);
    RtnlVipHost h = host();
    assertThatThrownBy(() -> h.add(VIP)).hasMessageContaining("was not added by this agent");
    h.remove(VIP);
    assertThat(h.removeLeftovers()).isEmpty();
    assertThat(kernel.rtnl().addresses()).contains(A);
  }

  @Test
  void aRestartedAgentRemovesTheVipItsPreviousProcessLeft() {
    kernel.rtnl().createLink("eth0", null, true);
    host().add(VIP); // the previous process, killed while holding
    RtnlVipHost next = host();
    assertThat(next.removeLeftovers()).containsExactly(A);
    assertThat(kernel.rtnl().addresses()).doesNotContain(A);
    assertThat(new HaLedger(dir).addresses()).isEmpty();
  }

  @Test
  void aFailedAddLeavesNothingRecorded() {
    RtnlVipHost h = host(); // no eth0: ENODEV
    assertThatThrownBy(() -> h.add(VIP)).hasMessageContaining("ENODEV");
    assertThat(new HaLedger(dir).addresses()).isEmpty();
  }

  @Test
  void syncDaemonsBackupAlwaysMasterOnTheHolderAndAForeignOneIsLeftAlone() {
    SyncDaemonSteps steps = new SyncDaemonSteps(kernel.ipvs(), new HaLedger(dir));
    assertThat(steps.apply(true, false, "eth0", 7)).containsExactly(new SyncDaemon(SyncDaemon.State.BACKUP, "eth0", 7));
    assertThat(steps.apply(true, true, "eth0", 7)).containsExactlyInAnyOrder(
        new SyncDaemon(SyncDaemon.State.BACKUP, "eth0", 7), new SyncDaemon(SyncDaemon.State.MASTER, "eth0", 7));
    assertThat(steps.apply(true, false, "eth0", 7)).containsExactly(new SyncDaemon(SyncDaemon.State.BACKUP, "eth0", 7));
    // a restarted agent knows its backup from the ledger and stops it when sync is off
    SyncDaemonSteps next = new SyncDaemonSteps(kernel.ipvs(), new HaLedger(dir));
    assertThat(next.apply(false, false, "eth0", 7)).isEmpty();
    kernel.ipvs().startDaemon(new SyncDaemon(SyncDaemon.State.BACKUP, "eth1", 3)); // keepalived's
    assertThat(next.apply(true, false, "eth0", 7)).containsExactly(new SyncDaemon(SyncDaemon.State.BACKUP, "eth1", 3));
    assertThat(next.apply(false, false, "eth0", 7)).as("not ours: never stopped").isEmpty();
    assertThat(kernel.ipvs().daemons()).containsExactly(new SyncDaemon(SyncDaemon.State.BACKUP, "eth1", 3));
    assertThat(List.of(next.running())).isNotNull();
  }
}
