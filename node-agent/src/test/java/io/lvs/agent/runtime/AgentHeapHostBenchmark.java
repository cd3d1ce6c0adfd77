package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.agent.runtime.k8s.ApiClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lvs.agent.ownership.FileOwnershipStore;
import io.lvs.agent.runtime.k8s.ApiServer;
import io.lvs.agent.runtime.k8s.TcpProxy;
import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent's live heap at 10,000 services x 10 destinations, host-side: the real
 * {@link Agent} (fabric8 client, informer and its cache of the slices as deserialised from the API
 * server, status writer, health checker, metrics, ownership file store) against the real
 * kube-apiserver on the host (through a relay that can be cut) and the in-memory kernel. Live heap
 * after GC ({@link HeapHistogram}): once the statuses are written and after two more full syncs;
 * then with the API server away (relay cut) after three more, every status waiting. The agent's
 * part is each minus the heap once the agent is closed and let go (the fake kernel's copy of the
 * table, the test's own client and the JVM stay in both). No health checks are configured (their
 * probes would need real servers), so the checker holds no member. Writes
 * target/benchmark-agent-heap.txt; fails above {@code lvs.scale.maxAgentHeapMiB} (default 90).
 */
@Tag("benchmark")
class AgentHeapHostBenchmark {
  @Test
  void theWholeAgentAt10kServices(@TempDir Path state) throws Exception {
    int n = Integer.getInteger("lvs.scale.services", 10_000);
    int maxMiB = Integer.getInteger("lvs.scale.maxAgentHeapMiB", 90);
    String node = "heap-node-" + n;
    ApiServer api = ApiServer.shared();
    List<NodeSlice> slices = AgentProcessAtScaleKernelTest.slices(node, n);
    // a long request timeout for these writes of ~250 KiB each: a loaded host's API server is slow
    KubernetesClient admin = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(api.admin.getConfiguration()).withRequestTimeout(300_000).build()).build();
    for (NodeSlice s : slices) {
      LvsNodeState o = new LvsNodeState();
      o.setMetadata(new ObjectMetaBuilder().withName(s.name())
          .addToLabels(NodeSlices.NODE_LABEL, NodeSlices.labelValue(node)).build());
      o.setSpec(s.spec());
      admin.resource(o).createOr(r -> r.update());
    }
    admin.close();
    int sliceCount = slices.size();
    slices = null; // the agent reads its own copy from the API server
    InMemoryKernel kernel = new InMemoryKernel(true);
    StringBuilder report = new StringBuilder(String.format("%,d services x 10 destinations, the whole agent "
        + "(real kube-apiserver, in-memory kernel), host JVM %s%n", n, System.getProperty("java.version")));
    java.util.List<java.lang.ref.WeakReference<Agent>> agent = new java.util.ArrayList<>();
    HeapHistogram[] with = runAgent(api, kernel, node, sliceCount, state, n, report, agent);
    awaitLetGo(agent.get(0)); // a status write still failing on its thread holds the whole agent
    HeapHistogram base = HeapHistogram.take();
    HeapHistogram reachable = with[0].minus(base);
    HeapHistogram away = with[1].minus(base);
    report.append(reachable.format("held by the agent, API server reachable, statuses written, after 3 syncs", 25));
    report.append(away.format("held by the agent, API server away, after 3 more syncs (statuses waiting)", 25));
    System.out.print(report);
    Files.writeString(Path.of("target", "benchmark-agent-heap.txt"), report);
    assertThat(kernel.services()).hasSize(n); // held to the end: its copy is in every histogram, subtracted
    assertThat(Math.max(reachable.totalBytes(), away.totalBytes()) >> 20)
        .as("MiB of live heap held by the agent").isLessThanOrEqualTo(maxMiB);
  }

  /** The live heap with the agent, reachable then away; the agent is closed and unreachable on return. */
  private static HeapHistogram[] runAgent(ApiServer api, InMemoryKernel kernel, String node, int sliceCount,
      Path state, int n, StringBuilder report, List<java.lang.ref.WeakReference<Agent>> handle) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // resync of an hour: every sync after the first is one of the measured ones
    AgentConfig config = new AgentConfig(node, state, Duration.ofHours(1), 0, Duration.ofMinutes(1));
    try (TcpProxy proxy = new TcpProxy(api.port)) {
      int port = proxy.start();
      try (ApiClient client = api.agentApiVia(port);
          Agent agent = new Agent(config, client, new KernelClients(kernel, kernel, kernel),
              new FileOwnershipStore(state), SnatProgrammer.NONE, registry, Clock.systemUTC())) {
        handle.add(new java.lang.ref.WeakReference<>(agent));
        long t0 = System.nanoTime();
        agent.start();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
            .until(() -> kernel.services().size() == n && agent.loop().lastOutcome().isPresent());
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1))
            .until(() -> statusesWritten(agent.watcher().slices()) == sliceCount);
        report.append(String.format("programmed and every status written: %.1f s%n", (System.nanoTime() - t0) / 1e9));
        for (int i = 0; i < 2; i++) {
          assertThat(agent.loop().syncNow().orElseThrow().failure()).isNull();
        }
        HeapHistogram reachable = HeapHistogram.take();
        proxy.stop(); // the API server away: every status write fails and waits
        await().atMost(Duration.ofSeconds(30)).until(() -> !agent.watcher().isWatching());
        for (int i = 0; i < 3; i++) {
          assertThat(agent.loop().syncNow().orElseThrow().failure()).isNull();
        }
        Thread.sleep(3_000); // the writer's attempts of the last sync's statuses
        HeapHistogram away = HeapHistogram.take();
        assertThat(agent.watcher().slices()).hasSize(sliceCount);
        return new HeapHistogram[] {reachable, away};
      }
    }
  }

  /**
   * Waits (up to two minutes) until the closed agent is garbage: a status write still failing on
   * its thread, or a client thread, can hold it for a while. Fails if it is still held, since the
   * base would then contain the agent and the subtraction would hide it.
   */
  private static void awaitLetGo(java.lang.ref.WeakReference<Agent> agent) throws InterruptedException {
    for (int i = 0; i < 120 && agent.get() != null; i++) {
      System.gc();
      Thread.sleep(1_000);
    }
    assertThat(agent.get()).as("the closed agent was let go before the base histogram").isNull();
  }

  /** Slices whose status, as the watch delivered it back, reports their generation: the agent's writes arrived. */
  private static long statusesWritten(List<LvsNodeState> cached) {
    return cached.stream()
        .filter(o -> o.getStatus() != null && o.getMetadata().getGeneration().equals(o.getStatus().observedGeneration()))
        .count();
  }
}
