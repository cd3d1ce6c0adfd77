package io.lvs.agent.model;

import static io.lvs.agent.fake.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The counters held inline read back as the Stats they were given, and travel with {@code with}. */
class ObservedDestinationTest {
  final Destination d = Destination.of(new DestinationKey(ip("198.19.0.1"), 80), ForwardMethod.DROUTE, 3);
  final Stats counters = new Stats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

  @Test
  void readsBackWhatItWasGivenAndComparesAsARecordWould() {
    ObservedDestination od = new ObservedDestination(d, 11, 12, 13, counters);
    assertThat(od.destination()).isSameAs(d);
    assertThat(od.activeConnections()).isEqualTo(11);
    assertThat(od.inactiveConnections()).isEqualTo(12);
    assertThat(od.persistentConnections()).isEqualTo(13);
    assertThat(od.stats()).isEqualTo(counters);

    ObservedDestination same = new ObservedDestination(d, 11, 12, 13, new Stats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    assertThat(od).isEqualTo(same).hasSameHashCodeAs(same).hasToString(same.toString());
    assertThat(od.toString()).contains("persistentConnections=13", "stats=" + counters);
    // each counter takes part in equality
    for (int i = 0; i < 10; i++) {
      long[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
      v[i] = 99;
      Stats other = new Stats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
      assertThat(new ObservedDestination(d, 11, 12, 13, other)).as("counter %d changed", i).isNotEqualTo(od);
    }
    assertThat(new ObservedDestination(d, 11, 12, 14, counters)).isNotEqualTo(od);
    assertThat(new ObservedDestination(d, 0, 0, 0, null).stats()).isEqualTo(Stats.ZERO);
  }

  @Test
  void withKeepsTheCountersAndPersistentCount() {
    ObservedDestination od = new ObservedDestination(d, 11, 12, 13, counters);
    Destination heavier = Destination.of(d.key(), ForwardMethod.DROUTE, 9);
    ObservedDestination moved = od.with(heavier, 21, 22);
    assertThat(moved).isEqualTo(new ObservedDestination(heavier, 21, 22, 13, counters));
    assertThat(moved.destination()).isSameAs(heavier);
  }

  @Test
  void theKernelsThirtyTwoBitValuesKeepTheirWholeUnsignedRangeAndLargerRatesSaturate() {
    long u32Max = 0xFFFF_FFFFL;
    Stats wide = new Stats(Long.MAX_VALUE, 1L << 40, 2, 3, 4, u32Max, u32Max - 1, 1L << 33, 1L << 40, Long.MAX_VALUE);
    ObservedDestination od = new ObservedDestination(d, u32Max, 1L << 31, u32Max - 1, wide);
    assertThat(od.activeConnections()).isEqualTo(u32Max);
    assertThat(od.inactiveConnections()).isEqualTo(1L << 31);
    assertThat(od.persistentConnections()).isEqualTo(u32Max - 1);
    // 64-bit counters and byte rates whole; connection and packet rates at most 2^32-1
    assertThat(od.stats()).isEqualTo(new Stats(Long.MAX_VALUE, 1L << 40, 2, 3, 4, u32Max, u32Max - 1, u32Max,
        1L << 40, Long.MAX_VALUE));
    assertThat(new ObservedDestination(d, -1, 0, 0, null).activeConnections()).isEqualTo(u32Max);
    assertThat(od.with(d, 5, u32Max).inactiveConnections()).isEqualTo(u32Max);
  }
}
