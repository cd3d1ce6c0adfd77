package io.lvs.agent.runtime;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The guard of the chart's default memory limit, meant for every kernel-lab run (bash .ci/run)
 * once the image's JVM flags fit the limit; until then tagged benchmark only (with the present
 * flags the heap alone may grow to 75% of the limit, see docs/benchmarks.md). The real
 * agent process with the image's JVM flags holds {@link #SERVICES} services x 10 destinations
 * (the benchmark size) through a few resyncs, and its peak resident set (VmHWM) must stay within
 * 80% of agent.resources.limits.memory in helm-chart/values.yaml. Without an API server in this
 * VM run its informer's cache is empty (see docs/benchmarks.md for what the cache adds).
 */
@Tag("benchmark")
class AgentMemoryGuardKernelTest {
  static final int SERVICES = 10_000;

  @Test
  void theAgentAtBenchmarkSizeStaysWithinEightyPercentOfTheChartsLimit() throws Exception {
    AgentProcessAtScaleKernelTest.run(SERVICES, false);
  }
}
