package io.lvs.operator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaseWritesTest {
  @Test
  void createsBeforeTheSliceWritesMovesAndReleasesAfter() {
    FakeLeases store = new FakeLeases();
    store.holders.put("10.0.0.1", "d1");
    store.holders.put("10.0.0.9", "d1");
    LeaseWrites leases = new LeaseWrites(store, ParallelWrites.SEQUENTIAL);
    Map<String, String> recorded = leases.holders();
    Map<String, String> chosen = Map.of("10.0.0.1", "d2", "10.0.0.2", "d1");

    leases.beforeSliceWrites(chosen, recorded);
    assertThat(store.takeWrites()).containsExactly("create 10.0.0.2 d1");
    assertThat(leases.afterSliceWrites(chosen, recorded)).as("a Lease moved: plan again").isTrue();
    assertThat(store.takeWrites()).containsExactly("hold 10.0.0.1 d2", "release 10.0.0.9");

    Map<String, String> now = leases.holders();
    leases.beforeSliceWrites(chosen, now);
    assertThat(leases.afterSliceWrites(chosen, now)).isFalse();
    assertThat(store.takeWrites()).isEmpty();
  }
}
