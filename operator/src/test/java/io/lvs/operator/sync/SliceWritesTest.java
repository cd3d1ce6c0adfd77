package io.lvs.operator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.operator.apply.ProgrammingLedger;
import io.lvs.operator.diff.NodeStateChange;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceWritesTest {
  private static LvsNodeStateSpec spec(String... owners) {
    return new LvsNodeStateSpec("w1", List.of(), List.of(), List.of(),
        java.util.Arrays.stream(owners).map(o -> new NodeSysctl(o, "net.ipv4.ip_forward", "1")).toList(), List.of());
  }

  @Test
  void recordsTheGenerationAtWhichEachOwnersEntriesChangedAndReturnsThoseOwners() {
    FakeCluster cluster = new FakeCluster(new HashMap<>(), new HashMap<>(), new HashMap<>());
    ProgrammingLedger ledger = new ProgrammingLedger();
    SliceWrites writes = new SliceWrites(cluster, cluster, ledger, ParallelWrites.SEQUENTIAL);

    assertThat(writes.write(List.of(new NodeStateChange.Create("w1", spec("ns/a", "ns/b"))))).containsExactlyInAnyOrder("ns/a", "ns/b");
    assertThat(writes.write(List.of(new NodeStateChange.Update("w1", spec("ns/a"))))).containsExactly("ns/b");
    assertThat(ledger.since("w1", "ns/a")).isEqualTo(1);
    assertThat(ledger.since("w1", "ns/b")).isEqualTo(2);
    assertThat(writes.write(List.of(new NodeStateChange.Delete("w1")))).isEmpty();
    assertThat(cluster.slices).isEmpty();
  }
}
