package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.kernellab.BenchTable;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One Prometheus scrape of the IPVS counters at the agent's scale sizes, on the host, both ways:
 * as the client's snapshots through its writer (the plain path, {@link IpvsStatsCollector}) and
 * streamed from the table ({@link IpvsStatsText}). At 10,000 services x 10 the destination series
 * are suppressed and the scrape is 100,000 service points; at 1,000 x 10 it is 110,000 points. Report in
 * {@code target/benchmark-metrics-scrape.txt}; -Dlvs.bench.services (default 10000), -Dlvs.bench.rounds
 * (default 7, after as many warm-up rounds).
 */
@Tag("benchmark")
class IpvsStatsScrapeBenchmark {
  @Test
  void oneScrapeOfTheIpvsCounters() throws Exception {
    int services = Integer.getInteger("lvs.bench.services", 10_000);
    int dests = 10;
    int rounds = Integer.getInteger("lvs.bench.rounds", 7);
    List<ObservedService> table = new ArrayList<>();
    Map<ServiceKey, String> owners = new HashMap<>();
    for (int i = 0; i < services; i++) {
      ObservedService s = IpvsStatsCollectorTest.service(i, dests);
      table.add(s);
      owners.put(s.service().key(), "bench/vs" + i);
    }
    IpvsStatsText streamed = new IpvsStatsText();
    streamed.observed(table, owners);
    IpvsStatsCollector collector = new IpvsStatsCollector(IpvsStatsText.DESTINATION_LIMIT, streamed.table());
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    java.io.OutputStream discard = java.io.OutputStream.nullOutputStream();
    BenchTable bench = new BenchTable(services, dests);
    int[] chars = new int[1];
    for (int r = 0; r < rounds; r++) { // warm-up
      chars[0] = IpvsStatsCollectorTest.text(collector.collect()).length();
      streamed.write(discard);
    }
    long[] allocated = new long[2];
    for (int r = 0; r < rounds; r++) {
      long a0 = threads.getCurrentThreadAllocatedBytes();
      bench.time(BEFORE, () -> chars[0] = IpvsStatsCollectorTest.text(collector.collect()).length());
      long a1 = threads.getCurrentThreadAllocatedBytes();
      bench.time(AFTER, () -> streamed.write(discard));
      allocated[0] += a1 - a0;
      allocated[1] += threads.getCurrentThreadAllocatedBytes() - a1;
    }
    bench.note("characters per scrape", chars[0]);
    bench.note("bytes allocated per scrape, snapshots (the text in memory included)", allocated[0] / rounds);
    bench.note("bytes allocated per scrape, streamed", allocated[1] / rounds);
    bench.write(Path.of("target/benchmark-metrics-scrape.txt"));
    assertThat(IpvsStatsTextTest.families(IpvsStatsTextTest.text(streamed))).as("the streamed text is the snapshots' text")
        .isEqualTo(IpvsStatsTextTest.families(IpvsStatsCollectorTest.text(collector.collect())));
    assertThat(IpvsStatsTextTest.text(streamed)).contains("lvs_ipvs_service_connections{owner=\"bench/vs" + (services - 1) + "\"");
  }

  static final String BEFORE = "snapshots: collect() + the client's text writer (before)";
  static final String AFTER = "streamed: IpvsStatsText.write";
}
