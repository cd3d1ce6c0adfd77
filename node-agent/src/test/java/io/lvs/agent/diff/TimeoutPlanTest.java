package io.lvs.agent.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.ipvs.IpvsTimeouts;
import io.lvs.agent.ownership.OwnedTimeouts;
import org.junit.jupiter.api.Test;

class TimeoutPlanTest {
  private static final IpvsTimeouts KERNEL = new IpvsTimeouts(900, 120, 300);
  private static final IpvsTimeouts NONE = new IpvsTimeouts(0, 0, 0);

  @Test
  void aFirstSetRecordsTheKernelsValueBeforeWritingOnlyWhatIsConfigured() {
    TimeoutPlan p = TimeoutPlan.of(new IpvsTimeouts(600, 0, 0), KERNEL, OwnedTimeouts.NONE);

    assertThat(p.record()).isEqualTo(new OwnedTimeouts(900, null, null));
    assertThat(p.set()).isEqualTo(new IpvsTimeouts(600, 0, 0)); // tcpfin and udp left to the kernel
    assertThat(p.after()).isEqualTo(new OwnedTimeouts(900, null, null));
    assertThat(p.changesKernel()).isTrue();
  }

  @Test
  void aChangedValueKeepsTheFirstOriginalNotTheAgentsOwnEarlierValue() {
    TimeoutPlan p = TimeoutPlan.of(new IpvsTimeouts(700, 0, 0), new IpvsTimeouts(600, 120, 300),
        new OwnedTimeouts(900, null, null));

    assertThat(p.record()).isEqualTo(new OwnedTimeouts(900, null, null));
    assertThat(p.set()).isEqualTo(new IpvsTimeouts(700, 0, 0));
  }

  @Test
  void whatTheKernelAlreadyHoldsIsNotWrittenAgain() {
    TimeoutPlan p = TimeoutPlan.of(new IpvsTimeouts(600, 60, 0), new IpvsTimeouts(600, 60, 300),
        new OwnedTimeouts(900, 120, null));

    assertThat(p.changesKernel()).isFalse();
    assertThat(p.after()).isEqualTo(new OwnedTimeouts(900, 120, null));
  }

  @Test
  void aTimeoutNoLongerConfiguredIsRestoredAndThenNoLongerOwned() {
    TimeoutPlan p = TimeoutPlan.of(new IpvsTimeouts(600, 0, 0), new IpvsTimeouts(600, 60, 200),
        new OwnedTimeouts(900, 120, null));

    assertThat(p.record()).isEqualTo(new OwnedTimeouts(900, 120, null)); // kept until the restore succeeds
    assertThat(p.set()).isEqualTo(new IpvsTimeouts(0, 120, 0)); // udp (never ours) untouched at 200
    assertThat(p.after()).isEqualTo(new OwnedTimeouts(900, null, null));
  }

  @Test
  void nothingConfiguredAndNothingOwnedTouchesNothing() {
    TimeoutPlan p = TimeoutPlan.of(NONE, new IpvsTimeouts(1, 2, 3), OwnedTimeouts.NONE);

    assertThat(p.changesKernel()).isFalse();
    assertThat(p.record()).isEqualTo(OwnedTimeouts.NONE);
    assertThat(p.after()).isEqualTo(OwnedTimeouts.NONE);
  }

  @Test
  void driftOfAnOwnedTimeoutIsRepaired() {
    TimeoutPlan p = TimeoutPlan.of(new IpvsTimeouts(0, 0, 120), new IpvsTimeouts(900, 120, 30),
        new OwnedTimeouts(null, null, 300));

    assertThat(p.set()).isEqualTo(new IpvsTimeouts(0, 0, 120));
    assertThat(p.after()).isEqualTo(new OwnedTimeouts(null, null, 300));
  }
}
