package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncLogTest {
  static final Instant T = Instant.parse("2026-12-04T02:00:00Z");

  static String changed(Instant end, long ms) {
    return "ts=" + end + " level=INFO logger=SyncLoop thread=agent-sync-1 msg=\"kernel changed\" slices=\"{a=1}\""
        + " operations=\"3\" problems=\"0\" conflicts=\"0\" tookMs=\"" + ms + "\"";
  }

  static String slow(Instant end, long ms) {
    return "ts=" + end + " level=WARN logger=SyncLoop thread=agent-sync-1 msg=\"resync slower than its interval\" tookMs=\""
        + ms + "\" resync=\"PT10S\"";
  }

  @Test
  void aSlowSyncRunningAtTheDamageCountsWithTheRepairingOne() {
    SyncLog log = SyncLog.parse(List.of(changed(T.minusSeconds(300), 44_000), slow(T.plusSeconds(60), 98_000),
        "ts=" + T.plusSeconds(61) + " level=INFO logger=Agent msg=\"agent started\"", changed(T.plusSeconds(150), 87_300)));
    SyncLog.Bound b = log.repairBound(T, T.plusSeconds(1), T.plusSeconds(151), 10_000);
    assertThat(b.syncs()).isEqualTo(2);
    assertThat(b.runningMs()).isEqualTo(98_000);
    assertThat(b.repairingMs()).isEqualTo(87_300);
    assertThat(b.seconds()).isEqualTo(195.3);
  }

  @Test
  void anUnloggedRunningSyncTookAtMostOneInterval() {
    SyncLog log = SyncLog.parse(List.of(changed(T.plusSeconds(20), 9_000)));
    SyncLog.Bound b = log.repairBound(T, T.plusSeconds(1), T.plusSeconds(21), 10_000);
    assertThat(b.syncs()).isEqualTo(1);
    assertThat(b.seconds()).isEqualTo(29.0);
  }

  @Test
  void aSyncThatStartedAfterTheDamageIsNotTheRunningOne() {
    SyncLog log = SyncLog.parse(List.of(changed(T.plusSeconds(40), 5_000), changed(T.plusSeconds(90), 30_000)));
    SyncLog.Bound b = log.repairBound(T, T.plusSeconds(1), T.plusSeconds(91), 10_000);
    assertThat(b.syncs()).isEqualTo(2); // a third change between would fail the guard's count
    assertThat(b.runningMs()).isEqualTo(10_000);
    assertThat(b.repairingMs()).isEqualTo(30_000);
  }

  @Test
  void theRepairingSyncMayEndAfterTheRepairWasSeen() {
    SyncLog log = SyncLog.parse(List.of(changed(T.minusSeconds(10), 56_000), changed(T.plusSeconds(360), 82_500)));
    SyncLog.Bound b = log.repairBound(T, T.plusSeconds(1), T.plusSeconds(350), 10_000);
    assertThat(b.syncs()).isEqualTo(1);
    assertThat(b.repairingMs()).isEqualTo(82_500);
  }

  @Test
  void noChangeBetweenDamageAndRepairIsAnError() {
    SyncLog log = SyncLog.parse(List.of(changed(T.minusSeconds(5), 1_000), slow(T.plusSeconds(30), 20_000)));
    assertThatThrownBy(() -> log.repairBound(T, T, T.plusSeconds(31), 10_000)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("kernel changed");
  }
}
