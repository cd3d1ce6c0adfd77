package io.lvs.agent.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTrimmingStoreTest {
  @Test
  void anObjectWhoseSpecIsUnchangedKeepsTheCachedSpecInstance() {
    StatusTrimmingStore store = new StatusTrimmingStore();
    LvsNodeState first = slice("a", spec("198.18.0.1", "198.19.0.1"), null);
    store.put(store.getKey(first), first);
    // the agent's status write comes back as a whole new object, its spec an equal copy
    LvsNodeState written = slice("a", spec("198.18.0.1", "198.19.0.1"),
        new LvsNodeStateStatus(1L, List.of(), null, null, null, null));
    assertThat(written.getSpec()).isEqualTo(first.getSpec()).isNotSameAs(first.getSpec());
    store.put(store.getKey(written), written);
    assertThat(store.get(store.getKey(first)).getSpec()).isSameAs(first.getSpec());
    assertThat(store.get(store.getKey(first)).getStatus().observedGeneration()).isEqualTo(1L);
  }

  @Test
  void aChangedSpecIsTakenAsItCame() {
    StatusTrimmingStore store = new StatusTrimmingStore();
    LvsNodeState first = slice("a", spec("198.18.0.1", "198.19.0.1"), null);
    store.put(store.getKey(first), first);
    LvsNodeState changed = slice("a", spec("198.18.0.1", "198.19.0.2"), null);
    store.put(store.getKey(changed), changed);
    assertThat(store.get(store.getKey(first)).getSpec()).isSameAs(changed.getSpec())
        .isNotEqualTo(first.getSpec());
    LvsNodeState empty = slice("a", null, null);
    store.put(store.getKey(empty), empty);
    assertThat(store.get(store.getKey(first)).getSpec()).isNull();
  }

  private static LvsNodeState slice(String name, LvsNodeStateSpec spec, LvsNodeStateStatus status) {
    LvsNodeState o = new LvsNodeState();
    o.setMetadata(new ObjectMetaBuilder().withName(name).build());
    o.setSpec(spec);
    o.setStatus(status);
    return o;
  }

  private static LvsNodeStateSpec spec(String vip, String member) {
    return new LvsNodeStateSpec("n", List.of(new NodeIpvsService("ns/web", vip, 80, Protocol.TCP, null, null, "rr",
        null, null, null, List.of(new NodeDestination(member, 80, 1, Forwarding.DirectRouting, null, null, null, null)),
        null)), null, null, null, null);
  }
}
