package io.lvs.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VipFenceTest {
  @Test
  void theChosenDirectorGetsTheVipOnlyOnceItsLeaseNamesItOrNobody() {
    assertThat(VipFence.granted("d1", null)).isEqualTo("d1");
    assertThat(VipFence.granted("d1", "d1")).isEqualTo("d1");
    assertThat(VipFence.granted("d2", "d1")).as("handover: nobody until the Lease moves").isNull();
  }

  @Test
  void newLeasesBeforeTheWritesMovesAfterThemReleasesForVipsNobodyIsGiven() {
    Map<String, String> chosen = Map.of("10.0.0.1", "d1", "10.0.0.2", "d2", "10.0.0.3", "d1");
    Map<String, String> leases = Map.of("10.0.0.1", "d1", "10.0.0.2", "d1", "10.0.0.9", "d3");
    assertThat(VipFence.newLeases(chosen, leases)).containsExactly(Map.entry("10.0.0.3", "d1"));
    assertThat(VipFence.moves(chosen, leases)).containsExactly(Map.entry("10.0.0.2", "d2"));
    assertThat(VipFence.releases(chosen, leases.keySet())).containsExactly("10.0.0.9");
    assertThat(VipFence.releases(chosen, Set.of())).isEmpty();
  }
}
