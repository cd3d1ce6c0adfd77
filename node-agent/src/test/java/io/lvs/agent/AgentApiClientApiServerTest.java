package io.lvs.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lvs.testsupport.RealApiServer;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's API client does not keep its first response alive: the JDK's HTTP client holds a
 * connection's connect timer (and through it the opening exchange with its response body) for the
 * connection's life when a connect timeout is set, which kept the informer's first list of every
 * slice (8.4 MiB at 10,000 services) in the agent's heap. Measured as the live heap after a full
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
    long agent = retainedAfterFirstList(AgentMain.apiConfig(server.adminConfig()));
    long timed = retainedAfterFirstList(new ConfigBuilder(AgentMain.apiConfig(server.adminConfig()))
        .withConnectionTimeout(10_000).build());
    System.out.printf("after a first list of %,d bytes, live heap kept: agent's client %,d, with a 10 s connect timeout %,d%n",
        listBytes, agent, timed);
    assertThat(timed).as("heap kept by a client with a 10 s connect timeout after listing %,d bytes (agent's: %,d)"
        + "; if below, the JDK no longer keeps the opening exchange and AgentMain's workaround can go", listBytes, agent)
        .isGreaterThan(listBytes / 2);
    assertThat(agent).as("heap kept by the agent's client after listing %,d bytes (with a connect timeout: %,d)",
        listBytes, timed).isLessThan(listBytes / 4);
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
