package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.apply.Applier;
import io.lvs.agent.diff.Differ;
import io.lvs.agent.ownership.OwnershipStore;
import io.lvs.agent.runtime.health.HealthChecker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sync loop's own cost at 10,000 services x 10 destinations on the in-memory kernel (no
 * netlink): CPU of three full syncs (translation, apply, status, metrics), one /metrics scrape,
 * and the heap after GC with the table held (the fake kernel's own copy of it included).
 */
@Tag("benchmark")
class SyncLoopScaleBenchmark {
  @Test
  void theSyncLoopAt10kServices() throws Exception {
    int n = Integer.getInteger("lvs.scale.services", 10_000);
    InMemoryKernel kernel = new InMemoryKernel();
    ScheduledExecutorService exec = Executors.newScheduledThreadPool(2);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SyncLoop loop = new SyncLoop(new Applier(kernel, kernel, kernel, OwnershipStore.inMemory(), new Differ()), kernel, kernel,
        new HealthChecker(exec, t -> {}, () -> {}), SnatProgrammer.NONE, s -> {}, new AgentMetrics(registry),
        Clock.systemUTC(), exec, Duration.ofHours(1));
    try {
      loop.onSlices(AgentProcessAtScaleKernelTest.slices("scale-node", n), Map.of());
      var threads = ManagementFactory.getThreadMXBean();
      for (int i = 0; i < 3; i++) {
        long c0 = threads.getCurrentThreadCpuTime();
        assertThat(loop.syncNow().orElseThrow().failure()).isNull();
        System.out.printf("full sync %d: %d ms CPU%n", i, (threads.getCurrentThreadCpuTime() - c0) / 1_000_000);
      }
      long c0 = threads.getCurrentThreadCpuTime();
      String text = registry.scrape();
      System.out.printf("scrape: %,d characters, %d ms CPU%n", text.length(), (threads.getCurrentThreadCpuTime() - c0) / 1_000_000);
      assertThat(text).contains("lvs_ipvs_service_connections{owner=\"bench/vs0\"");
      System.gc();
      System.out.printf("heap used after GC: %d MiB%n", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
    } finally {
      loop.close();
      exec.shutdownNow();
    }
  }
}
