package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lvs.agent.apply.Applier;
import io.lvs.agent.diff.Differ;
import io.lvs.agent.ownership.FileOwnershipStore;
import io.lvs.agent.runtime.health.HealthChecker;
import io.lvs.agent.runtime.k8s.StatusDigest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync loop's own cost at 10,000 services x 10 destinations on the in-memory kernel (no
 * netlink): CPU of three full syncs (translation, apply, status, metrics), one /metrics scrape,
 * and the live heap the agent's part holds, by class. The parts are wired as in the agent: the
 * ownership store is the file one, the status sink keeps a digest of each slice's last status (as
 * the status writer does), and the kernel's reads return fresh objects (as the netlink client decodes them). The
 * agent's heap is the live heap with it minus the live heap once it is let go (the fake kernel's
 * own copy of the table, and the JVM's, stay in both). Fails above {@code lvs.scale.maxAgentHeapMiB}.
 * Writes target/benchmark-heap.txt.
 */
@Tag("benchmark")
class SyncLoopScaleBenchmark {
  @Test
  void theSyncLoopAt10kServices(@TempDir Path state) throws Exception {
    int n = Integer.getInteger("lvs.scale.services", 10_000);
    int maxMiB = Integer.getInteger("lvs.scale.maxAgentHeapMiB", 75);
    InMemoryKernel kernel = new InMemoryKernel(true);
    StringBuilder report = new StringBuilder(String.format("%,d services x 10 destinations%s%n", n,
        Boolean.getBoolean("lvs.scale.outage") ? ", API server away (every slice's status waiting)" : ""));
    Heaps with = runAgent(kernel, n, state, report);
    HeapHistogram kernelOnly = HeapHistogram.take();
    HeapHistogram programming = with.afterFirst().minus(kernelOnly);
    HeapHistogram steady = with.afterAll().minus(kernelOnly);
    report.append(with.afterAll().format("live heap after GC, agent and fake kernel, after the third sync", 12));
    report.append(programming.format("held by the agent after the first sync (programming the table)", 15));
    report.append(steady.format("held by the agent after the third sync", 25));
    System.out.print(report);
    Files.writeString(Path.of("target", "benchmark-heap.txt"), report);
    assertThat(kernel.services()).hasSize(n); // the kernel was still held: the subtraction left it in both
    assertThat(Math.max(programming.totalBytes(), steady.totalBytes()) >> 20)
        .as("MiB of live heap held by the agent").isLessThanOrEqualTo(maxMiB);
  }

  /** The live heap with the agent after its first sync and after its third. */
  private record Heaps(HeapHistogram afterFirst, HeapHistogram afterAll) {}

  /** Runs the agent's part to a programmed table and returns the heap with it; all of it is unreachable on return. */
  private static Heaps runAgent(InMemoryKernel kernel, int n, Path state, StringBuilder report) throws Exception {
    ScheduledExecutorService exec = Executors.newScheduledThreadPool(2);
    // the loop's own triggers (onSlices asks for a sync) queue behind this task and never run:
    // every sync is one of the measured ones, on this thread, and none runs during a histogram
    ScheduledExecutorService loopExec = Executors.newSingleThreadScheduledExecutor();
    CountDownLatch never = new CountDownLatch(1);
    loopExec.execute(() -> {
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AgentMetrics metrics = new AgentMetrics(registry);
    // what the status writer keeps of each slice's status once written: its digest
    ObjectMapper json = new ObjectMapper();
    AtomicReference<Map<String, ?>> published = new AtomicReference<>();
    // -Dlvs.scale.outage=true: what it keeps while the API server is away, each slice's newest status unwritten
    boolean outage = Boolean.getBoolean("lvs.scale.outage");
    StatusSink sink = statuses -> {
      if (outage) {
        published.set(Map.copyOf(statuses));
        return;
      }
      Map<String, StatusDigest> digests = new HashMap<>();
      statuses.forEach((slice, status) -> digests.put(slice, StatusDigest.of(json, status.build())));
      published.set(digests);
    };
    HealthChecker health = new HealthChecker(exec, t -> {}, () -> {});
    SyncLoop loop = new SyncLoop(new Applier(kernel, kernel, kernel, new FileOwnershipStore(state), new Differ()), kernel,
        kernel, health, SnatProgrammer.NONE, sink, metrics, Clock.systemUTC(), loopExec,
        Duration.ofHours(1));
    try {
      loop.onSlices(AgentProcessAtScaleKernelTest.slices("scale-node", n), Map.of());
      var threads = ManagementFactory.getThreadMXBean();
      HeapHistogram afterFirst = null;
      for (int i = 0; i < 3; i++) {
        long c0 = threads.getCurrentThreadCpuTime();
        assertThat(loop.syncNow().orElseThrow().failure()).isNull();
        report.append(String.format("full sync %d: %d ms CPU%n", i, (threads.getCurrentThreadCpuTime() - c0) / 1_000_000));
        afterFirst = afterFirst == null ? HeapHistogram.take() : afterFirst;
      }
      long c0 = threads.getCurrentThreadCpuTime();
      String text = metrics.scrape();
      report.append(String.format("scrape: %,d characters, %d ms CPU%n", text.length(),
          (threads.getCurrentThreadCpuTime() - c0) / 1_000_000));
      assertThat(text).contains("lvs_ipvs_service_connections{owner=\"bench/vs0\"");
      assertThat(published.get()).hasSize((n + 255) / 256);
      return new Heaps(afterFirst, HeapHistogram.take());
    } finally {
      loop.close();
      health.close();
      exec.shutdownNow();
      loopExec.shutdownNow();
    }
  }
}
