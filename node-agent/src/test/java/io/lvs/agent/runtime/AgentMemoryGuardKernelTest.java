package io.lvs.agent.runtime;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The guard of the chart's default memory limit, meant for every kernel-lab run (bash .ci/run)
 * but tagged benchmark until it passes reliably: runs of 10 minutes and more under load, and JIT
 * crashes of the agent's JVM under QEMU's emulation (docs/benchmarks.md, "Heap cap and compiler,
 * side by side"). The real
 * agent process, started as the image starts it (node-agent's Jib JVM flags and environment,
 * -XX:MaxRAM at the limit), programs {@link #SERVICES} services x 10 destinations (the benchmark
 * size), repairs hand-made damage (ipvsadm -e, -d, -D) within the syncs its log shows (SyncLog) and leaves a
 * foreign service alone; its peak resident set (VmHWM) must stay within 80% of
 * agent.resources.limits.memory in helm-chart/values.yaml. Without an API server in this VM run its
 * informer's cache is empty (docs/benchmarks.md gives what the cache adds).
 */
@Tag("benchmark")
class AgentMemoryGuardKernelTest {
  static final int SERVICES = 10_000;

  @Test
  void theAgentAtBenchmarkSizeRepairsDriftWithinEightyPercentOfTheChartsLimit() throws Exception {
    AgentProcessAtScaleKernelTest.run(SERVICES, true);
  }
}
