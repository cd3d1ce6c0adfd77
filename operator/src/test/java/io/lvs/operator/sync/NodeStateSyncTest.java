package io.lvs.operator.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.apply.ProgrammingLedger;
import io.lvs.operator.apply.ResolvedPools;
import io.lvs.operator.fixtures.K8s;
import io.lvs.operator.fixtures.Specs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The sync decides itself whether a VirtualService its controller read needs a new plan. */
class NodeStateSyncTest {
  private static VirtualService vs(long generation) {
    return vs(generation, 80);
  }

  private static VirtualService vs(long generation, int port) {
    VirtualService vs = new VirtualService();
    vs.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("ns").withUid("u1").withGeneration(generation)
        .withCreationTimestamp("2026-01-01T00:00:00Z").build());
    vs.setSpec(Specs.vs("10.0.0.1", port, Forwarding.NAT, "p"));
    return vs;
  }

  @Test
  void plansAgainOnlyWhenWhatAVirtualServiceIsPlannedFromChangedOrItsSliceIsGone() {
    Map<String, VirtualService> services = new ConcurrentHashMap<>(Map.of("ns/web", vs(1)));
    FakeCluster cluster = new FakeCluster(services, new ConcurrentHashMap<>(),
        new ConcurrentHashMap<>(Map.of("d1", K8s.node("d1", "192.168.0.1", true, Map.of("lvs/director", "true")))));
    try (NodeStateSync sync = new NodeStateSync(
        new NodeStateSync.Sources(cluster, new ResolvedPools(), spec -> List.of()),
        new NodeStateSync.Targets(cluster, new FakeLeases(), new ProgrammingLedger(), keys -> {}),
        new NodeStateSync.Tuning(Duration.ofSeconds(1), Duration.ofSeconds(90), 1, 256), new SimpleMeterRegistry())) {
      assertThat(sync.needsPlan(vs(1))).as("never planned").isTrue();
      sync.virtualServiceChanged(vs(1));
      await().atMost(Duration.ofSeconds(10)).until(() -> sync.planned().sliceOf("d1", "ns/web").isPresent());

      assertThat(sync.needsPlan(vs(1))).as("a status-only copy").isFalse();
      assertThat(sync.needsPlan(vs(2))).as("a new generation, the same spec: the same input").isFalse();
      assertThat(sync.needsPlan(vs(3, 443))).as("a new spec").isTrue();
      cluster.slices.remove("d1");
      assertThat(sync.needsPlan(vs(1))).as("its slice is gone").isTrue();
    }
  }
}
