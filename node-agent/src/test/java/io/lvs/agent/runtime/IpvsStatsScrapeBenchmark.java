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
 * One Prometheus scrape of the IPVS counters ({@link IpvsStatsCollector#collect()} and the text
 * format) at the agent's scale sizes, on the host: at 10,000 services x 10 the destination series
 * are suppressed and the scrape is 100,000 service points. Report in
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
    IpvsStatsCollector collector = new IpvsStatsCollector();
    collector.observed(table, owners);
    BenchTable bench = new BenchTable(services, dests);
    int[] chars = new int[1];
    for (int r = 0; r < rounds; r++) {
      chars[0] = IpvsStatsCollectorTest.text(collector.collect()).length(); // warm-up
    }
    for (int r = 0; r < rounds; r++) {
      bench.time("collect() + text format", () -> chars[0] = IpvsStatsCollectorTest.text(collector.collect()).length());
    }
    bench.note("characters per scrape", chars[0]);
    bench.write(Path.of("target/benchmark-metrics-scrape.txt"));
    assertThat(IpvsStatsCollectorTest.text(collector.collect()))
        .as("the scrape holds every owned service's series")
        .contains("lvs_ipvs_service_connections{owner=\"bench/vs" + (services - 1) + "\"");
  }
}
