package io.lvs.operator.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeSysctl;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnerChangesTest {
  @Test
  void onlyOwnersWhoseEntriesDifferAreNamed() {
    var a1 = new NodeAddress("ns/a", "10.0.0.1", 32, "lo", false);
    var b1 = new NodeAddress("ns/b", "10.0.0.2", 32, "lo", false);
    var before = new LvsNodeStateSpec("n", null, List.of(a1, b1), null, List.of(new NodeSysctl("ns/c", "k", "1")), null);
    var after = new LvsNodeStateSpec("n", List.of(), List.of(a1, new NodeAddress("ns/b", "10.0.0.3", 32, "lo", false)),
        List.of(), List.of(), List.of());
    assertThat(OwnerChanges.between(before, after)).containsExactlyInAnyOrder("ns/b", "ns/c");
    assertThat(OwnerChanges.between(before, before)).isEmpty();
    assertThat(OwnerChanges.between(null, before)).containsExactlyInAnyOrder("ns/a", "ns/b", "ns/c");
  }
}
