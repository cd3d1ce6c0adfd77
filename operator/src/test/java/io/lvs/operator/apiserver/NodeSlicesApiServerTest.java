package io.lvs.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.OwnerReport;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.StaticMember;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.slices.SpecOwners;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node's state cut into slices on the real kube-apiserver 1.20.2: every slice labelled for its
 * node, each VirtualService in exactly one slice, a change rewrites only its slice, the status
 * tally follows each slice's own report and generation, and an emptied extra slice is removed once
 * its agent has seen it empty.
 */
class NodeSlicesApiServerTest {
  /** Small slices: a VirtualService here is 1 service + 3 destinations (+ the VIP on its holder). */
  @RegisterExtension static final OperatorRun RUN = new OperatorRun(10);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String NODE = "sl-d1";
  private static final int SERVICES = 6;

  private static RealServerPoolSpec statics(int weight) {
    List<StaticMember> m = List.of(new StaticMember("192.0.2.1", 80, weight), new StaticMember("192.0.2.2", 80, null),
        new StaticMember("192.0.2.3", 80, null));
    return new RealServerPoolSpec(null, null, null, m, null, null, null, null, null);
  }

  private static Map<String, LvsNodeState> slices(KubernetesClient client) {
    Map<String, LvsNodeState> out = new TreeMap<>();
    client.resources(LvsNodeState.class).withLabel(NodeSlices.NODE_LABEL, NodeSlices.labelValue(NODE)).list().getItems()
        .forEach(s -> out.put(s.getMetadata().getName(), s));
    return out;
  }

  private static String owner(int i) {
    return "sliced/web" + i;
  }

  /** The slice's agent reports every owner in its spec, at the slice's generation. */
  private static void report(KubernetesClient client, String slice, boolean programmed) {
    new Fixtures(client).agentWritesStatus(slice, s -> new LvsNodeStateStatus(s.getMetadata().getGeneration(), null, null,
        SpecOwners.of(s.getSpec()).stream().sorted().map(o -> new OwnerReport(o, programmed, null)).toList(), null));
  }

  private static String programmed(KubernetesClient client, int i) {
    VirtualService vs = client.resources(VirtualService.class).inNamespace("sliced").withName("web" + i).get();
    if (vs == null || vs.getStatus() == null || vs.getStatus().conditions() == null) {
      return null;
    }
    return vs.getStatus().conditions().stream().filter(c -> "Programmed".equals(c.getType())).findFirst()
        .map(c -> c.getStatus() + " " + c.getMessage()).orElse(null);
  }

  @Test
  void aNodesStateIsSlicedAndEachVirtualServiceLivesInOneSlice() throws Exception {
    KubernetesClient client = RUN.client();
    Fixtures fx = new Fixtures(client);
    fx.namespace("sliced");
    fx.node(NODE, "192.168.9.1", true, Map.of("lvs/sl-director", "true"));
    for (int i = 0; i < SERVICES; i++) {
      fx.pool("sliced", "p" + i, statics(1));
      fx.virtualService("sliced", "web" + i, Fixtures.spec("10.0.9." + (10 + i), 80, Forwarding.DirectRouting, "p" + i, "lvs/sl-director"));
    }
    await().atMost(WAIT).untilAsserted(() -> {
      Map<String, LvsNodeState> slices = slices(client);
      List<String> owners = new ArrayList<>();
      slices.values().forEach(s -> s.getSpec().services().forEach(x -> owners.add(x.owner())));
      assertThat(owners).hasSize(SERVICES).doesNotHaveDuplicates();
    });
    Map<String, LvsNodeState> slices = slices(client);
    assertThat(slices.size()).as("slices of %s: %s", NODE, slices.keySet()).isBetween(2, SERVICES);
    assertThat(slices).containsKey(NODE);
    Map<String, String> sliceOf = new TreeMap<>();
    for (LvsNodeState s : slices.values()) {
      assertThat(s.getSpec().nodeName()).isEqualTo(NODE);
      assertThat(s.getMetadata().getName()).matches(NODE + "(\\.[0-9]+)?");
      int entries = s.getSpec().services().stream().mapToInt(x -> 1 + x.destinations().size()).sum()
          + s.getSpec().addresses().size() + s.getSpec().sysctls().size();
      assertThat(entries).as("entries in %s", s.getMetadata().getName()).isLessThanOrEqualTo(10);
      // an owner's entries are all in the slice that has its service
      Set<String> serviceOwners = s.getSpec().services().stream().map(NodeIpvsService::owner).collect(Collectors.toSet());
      assertThat(serviceOwners).containsAll(SpecOwners.of(s.getSpec()));
      serviceOwners.forEach(o -> sliceOf.put(o, s.getMetadata().getName()));
    }

    // the status tally follows each slice's own report: only the owners of the reporting slice are programmed
    String first = sliceOf.get(owner(0));
    report(client, first, true);
    await().atMost(WAIT).untilAsserted(() -> {
      for (int i = 0; i < SERVICES; i++) {
        String expected = sliceOf.get(owner(i)).equals(first) ? "True 1/1 nodes" : "False 0/1 nodes";
        assertThat(programmed(client, i)).as(owner(i) + " in " + sliceOf.get(owner(i))).isEqualTo(expected);
      }
    });
    for (String s : slices.keySet()) {
      report(client, s, true);
    }
    await().atMost(WAIT).untilAsserted(() -> {
      for (int i = 0; i < SERVICES; i++) {
        assertThat(programmed(client, i)).as(owner(i)).isEqualTo("True 1/1 nodes");
      }
    });

    // one VirtualService's weight change rewrites its slice and no other
    int changed = SERVICES - 1;
    String target = sliceOf.get(owner(changed));
    List<String> events = new CopyOnWriteArrayList<>();
    try (Watch w = client.resources(LvsNodeState.class).withLabel(NodeSlices.NODE_LABEL, NodeSlices.labelValue(NODE))
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, LvsNodeState s) {
            if (action != Action.ADDED) {
              events.add(action + " " + s.getMetadata().getName() + " gen " + s.getMetadata().getGeneration());
            }
          }

          @Override
          public void onClose(WatcherException e) {}
        })) {
      Thread.sleep(500);
      events.clear();
      client.resources(RealServerPool.class).inNamespace("sliced").withName("p" + changed).patch(
          PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"static\":[{\"address\":\"192.0.2.1\",\"port\":80,\"weight\":7}]}}");
      await().atMost(WAIT).untilAsserted(() -> assertThat(slices(client).get(target).getSpec().services().stream()
          .filter(x -> owner(changed).equals(x.owner())).flatMap(x -> x.destinations().stream()).toList())
          .extracting(d -> d.address() + "/" + d.weight()).contains("192.0.2.1/7"));
      Thread.sleep(2000);
      assertThat(events).as("slice writes for one weight change").hasSize(1).allMatch(e -> e.startsWith("MODIFIED " + target + " "));
    }
    // until that slice's agent reports the new generation, the changed service is pending, the rest stay programmed
    await().atMost(WAIT).until(() -> "False 0/1 nodes".equals(programmed(client, changed)));
    for (int i = 0; i < SERVICES; i++) {
      if (!sliceOf.get(owner(i)).equals(target)) {
        assertThat(programmed(client, i)).as(owner(i)).isEqualTo("True 1/1 nodes");
      }
    }

    // deleting every VirtualService of an extra slice empties it; once its agent has seen that, it goes
    String extra = slices.keySet().stream().filter(n -> !n.equals(NODE)).findFirst().orElseThrow();
    List<Integer> gone = new ArrayList<>();
    for (int i = 0; i < SERVICES; i++) {
      if (sliceOf.get(owner(i)).equals(extra)) {
        gone.add(i);
        client.resources(VirtualService.class).inNamespace("sliced").withName("web" + i).delete();
      }
    }
    await().atMost(WAIT).until(() -> {
      LvsNodeState s = slices(client).get(extra);
      return s != null && s.getSpec().services().isEmpty();
    });
    assertThat(slices(client)).as("not removed before its agent confirmed").containsKey(extra);
    report(client, extra, true);
    await().atMost(WAIT).until(() -> !slices(client).containsKey(extra));
    for (int i : gone) {
      await().atMost(WAIT).until(() -> client.resources(VirtualService.class).inNamespace("sliced").withName("web" + i).get() == null);
    }
    assertThat(slices(client)).containsKey(NODE);
  }
}
