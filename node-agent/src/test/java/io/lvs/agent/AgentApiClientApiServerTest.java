package io.lvs.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lvs.agent.runtime.k8s.ApiClient;
import io.lvs.agent.runtime.k8s.KubeJson;
import java.io.InputStream;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.testsupport.RealApiServer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's API client ({@link ApiClient}) does not keep its first response alive: the JDK's
 * HTTP client holds a connection's connect timer (and through it the opening exchange with its
 * response body) for the connection's life when a connect timeout is set, which kept the first
 * list of every slice (8.4 MiB at 10,000 services) in the agent's heap. Measured as the live heap after a full
 * collection, with the list's result dropped and the client still open, beside a client with
 * fabric8's default connect timeout that shows the retention (the measurement can see it).
 */
class AgentApiClientApiServerTest {
  static final String NS = "agent-client-heap";
  static final int MAPS = 12;
  static final int BYTES_PER_MAP = 600_000;
  static RealApiServer server;

  @BeforeAll
  static void bigList() {
    server = RealApiServer.shared();
    KubernetesClient admin = server.admin();
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .createOr(n -> n.update());
    String filler = "x".repeat(BYTES_PER_MAP);
    for (int i = 0; i < MAPS; i++) {
      ConfigMap m = new ConfigMapBuilder().withNewMetadata().withName("big-" + i).withNamespace(NS).endMetadata()
          .withData(Map.of("filler", filler)).build();
      admin.configMaps().inNamespace(NS).resource(m).createOr(c -> c.update());
    }
  }

  @Test
  void theFirstListIsNotKeptAliveByTheConnection() throws Exception {
    long listBytes = (long) MAPS * BYTES_PER_MAP;
    long agent = retainedAfterFirstList(AgentMain.apiClient(server.adminConfig()));
    long timed = retainedAfterFirstList(new ConfigBuilder(server.adminConfig()).withConnectionTimeout(10_000).build());
    System.out.printf("after a first list of %,d bytes, live heap kept: agent's client %,d, with a 10 s connect timeout %,d%n",
        listBytes, agent, timed);
    assertThat(timed).as("heap kept by a client with a 10 s connect timeout after listing %,d bytes (agent's: %,d)"
        + "; if below, the JDK no longer keeps the opening exchange and AgentMain's workaround can go", listBytes, agent)
        .isGreaterThan(listBytes / 2);
    assertThat(agent).as("heap kept by the agent's client after listing %,d bytes (with a connect timeout: %,d)",
        listBytes, timed).isLessThan(listBytes / 4);
  }

  @Test
  void equalAddressesReadThroughTheAgentsClientAreOneString() {
    KubernetesClient admin = server.admin();
    for (int slice = 0; slice < 2; slice++) {
      List<NodeIpvsService> services = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        List<NodeDestination> ds = new ArrayList<>();
        for (int d = 1; d <= 10; d++) { // the same ten real servers behind every service
          ds.add(new NodeDestination("198.19.7." + d, 80, d, Forwarding.DirectRouting, null, null, null, null));
        }
        services.add(new NodeIpvsService("interned/vs" + i, "198.18.9." + (1 + i + 50 * slice), 80, Protocol.TCP,
            null, null, "wrr", null, null, null, ds, null));
      }
      LvsNodeState n = new LvsNodeState();
      n.setMetadata(new ObjectMetaBuilder().withName("interned-" + slice).build());
      n.setSpec(new LvsNodeStateSpec("interned", services, null, null, null, null));
      admin.resource(n).createOr(x -> x.update());
    }
    List<LvsNodeState> plain = read(new KubernetesClientBuilder().withConfig(server.adminConfig()).build());
    List<LvsNodeState> agents = read(AgentMain.apiClient(server.adminConfig()));

    assertThat(agents).extracting(LvsNodeState::getSpec).isEqualTo(plain.stream().map(LvsNodeState::getSpec).toList());
    assertThat(distinctInstances(plain)).as("address strings read by a default client (1,000 destinations)")
        .isEqualTo(1_000);
    assertThat(distinctInstances(agents)).as("address strings read by the agent's client (1,000 destinations)")
        .isEqualTo(10);
  }

  /** The two slices as the agent reads objects: its own client, {@link KubeJson}'s mapper. */
  private static List<LvsNodeState> read(ApiClient c) {
    var json = KubeJson.mapper();
    List<LvsNodeState> out = new ArrayList<>();
    for (String name : List.of("interned-0", "interned-1")) {
      try (InputStream in = c.get("apis/lvs.io/v1alpha1/lvsnodestates/" + name)) {
        out.add(json.readValue(in, LvsNodeState.class));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return out;
  }

  private static List<LvsNodeState> read(KubernetesClient c) {
    try (c) {
      return List.of(c.resources(LvsNodeState.class).withName("interned-0").get(),
          c.resources(LvsNodeState.class).withName("interned-1").get());
    }
  }

  /** How many String objects the destinations' addresses are. */
  private static int distinctInstances(List<LvsNodeState> slices) {
    Map<String, Boolean> seen = new IdentityHashMap<>();
    slices.forEach(n -> n.getSpec().services().forEach(s -> s.destinations().forEach(d -> seen.put(d.address(), true))));
    return seen.size();
  }

  /** As below, through the agent's own client: the list's stream read to its end and dropped. */
  private static long retainedAfterFirstList(ApiClient c) throws Exception {
    long before = liveHeap();
    String maps = "api/v1/namespaces/" + NS + "/configmaps";
    try (InputStream in = c.get(maps)) {
      assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).as("bytes listed")
          .isGreaterThan((long) MAPS * BYTES_PER_MAP);
    }
    try (InputStream in = c.get(maps + "/big-0")) { // the connection in use again after the list
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    long kept = liveHeap() - before;
    java.lang.ref.Reference.reachabilityFence(c);
    return kept;
  }

  /** Live heap grown by a new client's first request (a list of the big maps), the result dropped, the client open. */
  private static long retainedAfterFirstList(Config config) throws Exception {
    long before = liveHeap();
    try (KubernetesClient c = new KubernetesClientBuilder().withConfig(config).build()) {
      List<ConfigMap> items = c.configMaps().inNamespace(NS).list().getItems();
      assertThat(items).as("maps listed").hasSize(MAPS);
      items = null;
      c.configMaps().inNamespace(NS).withName("big-0").get(); // the connection in use again after the list
      return liveHeap() - before;
    }
  }

  private static long liveHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
