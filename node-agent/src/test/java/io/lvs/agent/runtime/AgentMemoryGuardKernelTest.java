package io.lvs.agent.runtime;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The guard of the chart's default memory limit, run by every kernel-lab run (bash .ci/run): the
 * real agent process, started as the image starts it (node-agent's Jib JVM flags and environment,
 * -XX:MaxRAM at agent.resources.limits.memory of helm-chart/values.yaml), programs {@link #SERVICES}
 * services x 10 destinations (the benchmark size) and runs a few resyncs over them; its peak resident
 * set (VmHWM) must stay within 80% of that limit. Without an API server in this VM run its informer's
 * cache is empty and every status write fails (an API outage from the start: the statuses wait);
 * docs/benchmarks.md gives what the cache adds. Drift repair at this size is
 * {@link AgentProcessAtScaleKernelTest}'s (a benchmark: its duration under emulation is CI's budget).
 */
@Tag("kernel")
class AgentMemoryGuardKernelTest {
  static final int SERVICES = 10_000;

  @Test
  void theAgentAtBenchmarkSizeStaysWithinEightyPercentOfTheChartsLimit() throws Exception {
    AgentProcessAtScaleKernelTest.run(SERVICES, false);
  }
}
