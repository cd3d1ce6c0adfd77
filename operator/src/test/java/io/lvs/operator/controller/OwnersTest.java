package io.lvs.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.OwnerReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnersTest {
  @Test
  void aSliceNamesTheOwnersInItsSpecAndInItsAgentsReportAndHoldsThemUntilBothDropThem() {
    LvsNodeState s = new LvsNodeState();
    s.setMetadata(new ObjectMetaBuilder().withName("w1").build());
    s.setSpec(new LvsNodeStateSpec("w1", List.of(), List.of(), List.of(),
        List.of(new NodeSysctl("ns/a", "net.ipv4.ip_forward", "1")), List.of()));
    s.setStatus(new LvsNodeStateStatus(1L, List.of(), null, List.of(new OwnerReport("ns/b", true, List.of())), List.of()));

    assertThat(Owners.named(s)).containsExactlyInAnyOrder(new ResourceID("a", "ns"), new ResourceID("b", "ns"));
    assertThat(Owners.holds(s, "ns/a")).as("in the spec").isTrue();
    assertThat(Owners.holds(s, "ns/b")).as("still reported by the agent").isTrue();
    assertThat(Owners.holds(s, "ns/c")).isFalse();
    assertThat(Owners.resourceId("ns/web")).isEqualTo(new ResourceID("web", "ns"));
  }
}
