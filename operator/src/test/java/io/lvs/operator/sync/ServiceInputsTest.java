package io.lvs.operator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.apply.ResolvedPools;
import io.lvs.operator.fixtures.Specs;
import io.lvs.operator.plan.ServiceInput;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceInputsTest {
  private final Map<String, VirtualService> services = new TreeMap<>();
  private final Map<String, RealServerPool> pools = new TreeMap<>();
  private final FakeCluster cluster = new FakeCluster(services, pools, new TreeMap<>());
  private final ResolvedPools resolved = new ResolvedPools();
  private final AtomicInteger built = new AtomicInteger();
  private final ServiceInputs inputs = new ServiceInputs(cluster, resolved, spec -> List.of(), true, built::incrementAndGet);

  private VirtualService vs(long generation) {
    VirtualService vs = new VirtualService();
    vs.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("ns").withUid("u1").withGeneration(generation)
        .withCreationTimestamp("2026-01-01T00:00:00Z").build());
    vs.setSpec(Specs.vs("10.0.0.1", 80, Forwarding.DirectRouting, "p"));
    return vs;
  }

  @Test
  void anUnchangedVirtualServiceReusesItsInputAndAStatusOnlyCopyToo() {
    services.put("ns/web", vs(1));
    ServiceInput first = inputs.forPlan(cluster.virtualServices()).get(0);
    services.put("ns/web", vs(1)); // a status write: a new object, the same generation
    assertThat(inputs.forPlan(cluster.virtualServices()).get(0)).isSameAs(first);
    assertThat(built).hasValue(1);
    services.put("ns/web", vs(2));
    assertThat(inputs.forPlan(cluster.virtualServices()).get(0)).isNotSameAs(first);
    assertThat(built).hasValue(2);
    assertThat(inputs.planned("ns/web")).isEqualTo(inputs.current(vs(2)));
  }

  @Test
  void aPoolNotResolvedYetKeepsWhatWasPlannedForIt() {
    services.put("ns/web", vs(1));
    ServiceInput withoutPool = inputs.forPlan(cluster.virtualServices()).get(0);
    RealServerPool pool = new RealServerPool();
    pool.setMetadata(new ObjectMetaBuilder().withName("p").withNamespace("ns").withUid("pu").withGeneration(1L).build());
    pool.setSpec(new RealServerPoolSpec(null, null, null, null, null, null, null, null, null));
    pools.put("ns/p", pool);
    assertThat(inputs.current(vs(1))).as("pool exists, members not resolved yet").isNull();
    assertThat(inputs.forPlan(cluster.virtualServices())).containsExactly(withoutPool);
    resolved.publish(pool, List.of(Specs.member("192.168.0.11", 80, "w1")));
    assertThat(inputs.forPlan(cluster.virtualServices()).get(0).members()).hasSize(1);
  }
}
