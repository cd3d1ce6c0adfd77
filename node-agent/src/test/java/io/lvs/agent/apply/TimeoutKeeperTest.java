package io.lvs.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.diff.Differ;
import io.lvs.agent.fake.FakeKernel;
import io.lvs.agent.ipvs.IpvsTimeouts;
import io.lvs.agent.ownership.FileOwnershipStore;
import io.lvs.agent.ownership.OwnedTimeouts;
import io.lvs.api.v1alpha1.NodeTimeouts;
import io.lvs.api.v1alpha1.TimeoutsReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keeper against the fake kernel and the real on-disk owned set, across a restart. */
class TimeoutKeeperTest {
  @TempDir Path dir;
  private final FakeKernel kernel = new FakeKernel();

  private TimeoutKeeper agent() {
    Applier applier = new Applier(kernel.ipvs(), kernel.rtnl(), kernel.sysctl(), new FileOwnershipStore(dir), new Differ());
    return new TimeoutKeeper(kernel.ipvs(), applier);
  }

  @Test
  void setsOnlyWhatIsConfiguredAndRestoresTheOriginalsAfterARestart() {
    kernel.ipvs().setTimeouts(new IpvsTimeouts(1000, 100, 200)); // set by hand before the agent
    TimeoutKeeper first = agent();

    TimeoutsReport r = first.apply(new NodeTimeouts("dir", 600, null, 120));
    assertThat(kernel.ipvs().timeouts()).isEqualTo(new IpvsTimeouts(600, 100, 120));
    assertThat(r).isEqualTo(new TimeoutsReport("dir", true, 600, 100, 120, null));
    assertThat(new FileOwnershipStore(dir).load().timeouts()).isEqualTo(new OwnedTimeouts(1000, null, 200));

    first.apply(new NodeTimeouts("dir", 700, null, 120)); // a change keeps the first originals
    assertThat(new FileOwnershipStore(dir).load().timeouts()).isEqualTo(new OwnedTimeouts(1000, null, 200));

    TimeoutKeeper restarted = agent(); // a new process: only the disk remembers
    TimeoutsReport gone = restarted.apply(null);
    assertThat(kernel.ipvs().timeouts()).isEqualTo(new IpvsTimeouts(1000, 100, 200));
    assertThat(gone).isEqualTo(new TimeoutsReport(null, null, 1000, 100, 200, null));
    assertThat(new FileOwnershipStore(dir).load().timeouts()).isEqualTo(OwnedTimeouts.NONE);
    assertThat(restarted.apply(null)).as("nothing configured, nothing owed").isNull();
  }

  @Test
  void aRefusedWriteIsReportedAndTheOriginalIsStillRecorded() {
    TimeoutKeeper keeper = new TimeoutKeeper(new RefusingTimeouts(kernel), new Applier(kernel.ipvs(), kernel.rtnl(),
        kernel.sysctl(), new FileOwnershipStore(dir), new Differ()));

    TimeoutsReport r = keeper.apply(new NodeTimeouts("dir", 600, null, null));

    assertThat(r.applied()).isFalse();
    assertThat(r.error()).contains("set IPVS timeouts").contains("EINVAL");
    assertThat(new FileOwnershipStore(dir).load().timeouts()).isEqualTo(new OwnedTimeouts(900, null, null));
  }

  /** The fake kernel, refusing IPVS_CMD_SET_CONFIG. */
  private static final class RefusingTimeouts extends DelegatingIpvs {
    RefusingTimeouts(FakeKernel kernel) {
      super(kernel.ipvs());
    }

    @Override
    public void setTimeouts(IpvsTimeouts timeouts) {
      throw new IllegalStateException("IPVS_CMD_SET_CONFIG: EINVAL");
    }
  }
}
