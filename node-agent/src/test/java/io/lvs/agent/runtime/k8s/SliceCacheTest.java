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

class SliceCacheTest {
  @Test
  void anObjectWhoseSpecIsUnchangedKeepsTheCachedSpecInstance() {
    SliceCache cache = new SliceCache();
    LvsNodeState first = slice("a", spec("198.18.0.1", "198.19.0.1"), null);
    cache.put(first);
    // the agent's status write comes back as a whole new object, its spec an equal copy
    LvsNodeState written = slice("a", spec("198.18.0.1", "198.19.0.1"),
        new LvsNodeStateStatus(1L, List.of(), null, null, null, null));
    assertThat(written.getSpec()).isEqualTo(first.getSpec()).isNotSameAs(first.getSpec());
    cache.put(written);
    assertThat(cache.get("a").getSpec()).isSameAs(first.getSpec());
    assertThat(cache.get("a").getStatus().observedGeneration()).isEqualTo(1L);
  }

  @Test
  void aChangedSpecIsTakenAsItCame() {
    SliceCache cache = new SliceCache();
    LvsNodeState first = slice("a", spec("198.18.0.1", "198.19.0.1"), null);
    cache.put(first);
    LvsNodeState changed = slice("a", spec("198.18.0.1", "198.19.0.2"), null);
    cache.put(changed);
    assertThat(cache.get("a").getSpec()).isSameAs(changed.getSpec())
        .isNotEqualTo(first.getSpec());
    LvsNodeState empty = slice("a", null, null);
    cache.put(empty);
    assertThat(cache.get("a").getSpec()).isNull();
  }

  @Test
  void aListReplacesTheCacheKeepingEqualSpecsAndDroppingWhatItLacks() {
    SliceCache cache = new SliceCache();
    LvsNodeState a = slice("a", spec("198.18.0.1", "198.19.0.1"), null);
    cache.put(a);
    cache.put(slice("b", spec("198.18.0.2", "198.19.0.1"), null));
    cache.replaceAll(List.of(slice("a", spec("198.18.0.1", "198.19.0.1"), null),
        slice("c", spec("198.18.0.3", "198.19.0.1"), null)));
    assertThat(cache.get("a").getSpec()).isSameAs(a.getSpec());
    assertThat(cache.get("b")).isNull();
    assertThat(cache.values()).extracting(s -> s.getMetadata().getName()).containsExactlyInAnyOrder("a", "c");
    cache.remove("a");
    assertThat(cache.get("a")).isNull();
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
