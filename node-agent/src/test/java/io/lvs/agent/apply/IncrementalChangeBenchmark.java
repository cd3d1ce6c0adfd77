package io.lvs.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.DesiredDestination;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.diff.Differ;
import io.lvs.agent.diff.Operation;
import io.lvs.agent.fake.FakeKernel;
import io.lvs.agent.fake.Fixtures;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.ownership.OwnershipStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Diff+apply time of changing one destination's weight among N services x 10 destinations, on the
 * fake kernel (pure Java cost, no netlink): the incremental path (what a spec change triggers) and
 * the full sync (what the resync timer does, dominated by reading the whole table). Prints a table
 * for docs/benchmarks.md ("Incremental change").
 */
@Tag("benchmark")
class IncrementalChangeBenchmark {
  static final int DESTS = 10;
  static final int ROUNDS = 300;

  record Row(int services, double hintedMedianUs, double incrementalMedianUs, double incrementalP90Us, double fullMedianMs, double programMs) {}

  @Test
  void oneWeightChangeCostsTheSameIn1kAnd10kServices() {
    run(1_000, 100); // warm-up of the JIT on both paths
    List<Row> rows = new ArrayList<>();
    for (int n : new int[] {1_000, 10_000}) {
      rows.add(run(n, ROUNDS));
    }
    System.out.println("| services x dests | objects | changed key given: diff+apply median | whole desired state: scan+diff+apply median | p90 | full sync (read+diff+apply) median | program from empty |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      System.out.printf(Locale.ROOT, "| %,d x %d | %,d | %.1f us | %.1f us | %.1f us | %.1f ms | %.0f ms |%n",
          r.services(), DESTS, r.services() * (DESTS + 1), r.hintedMedianUs(), r.incrementalMedianUs(),
          r.incrementalP90Us(), r.fullMedianMs(), r.programMs());
    }
    Row small = rows.get(0);
    Row large = rows.get(1);
    // with the changed key given, diff+apply must not follow the table size (10x more objects);
    // a generous bound, for a shared machine
    assertThat(large.hintedMedianUs()).isLessThan(Math.max(3 * small.hintedMedianUs(), small.hintedMedianUs() + 100));
  }

  Row run(int services, int rounds) {
    FakeKernel kernel = new FakeKernel();
    Applier applier = new Applier(kernel.ipvs(), kernel.rtnl(), kernel.sysctl(), OwnershipStore.inMemory(), new Differ());
    Map<ServiceKey, DesiredService> table = new LinkedHashMap<>();
    for (int i = 0; i < services; i++) {
      ServiceKey key = ServiceKey.of(IpProtocol.TCP, Fixtures.ip("198.18." + (i / 250) + "." + (1 + i % 250)), 80);
      List<DesiredDestination> ds = new ArrayList<>();
      for (int d = 0; d < DESTS; d++) {
        ds.add(DesiredDestination.of(Destination.of(
            new DestinationKey(Fixtures.ip("198.19.0." + (1 + d)), 80), ForwardMethod.DROUTE, 1)));
      }
      table.put(key, DesiredService.of("bench/vs" + i, new IpvsService(key, "wrr", 0, 0, 0), ds));
    }
    DesiredState desired = state(table);
    long t0 = System.nanoTime();
    assertThat(applier.apply(desired).fullySucceeded()).isTrue();
    double programMs = (System.nanoTime() - t0) / 1e6;

    long[] hinted = new long[rounds];
    for (int r = 0; r < rounds; r++) {
      ServiceKey victim = keys(table).get((r * 7919) % services);
      desired = withWeight(table, victim, 2 + r % 5);
      long s = System.nanoTime();
      ApplyReport report = applier.applyChanges(desired, List.of(victim));
      hinted[r] = System.nanoTime() - s;
      assertThat(report.results()).singleElement().satisfies(x -> {
        assertThat(x.succeeded()).isTrue();
        assertThat(x.operation()).isInstanceOf(Operation.UpdateDestination.class);
      });
    }
    long[] incremental = new long[rounds];
    for (int r = 0; r < rounds; r++) {
      ServiceKey victim = keys(table).get((r * 7919) % services);
      desired = withWeight(table, victim, 7 + r % 5);
      long s = System.nanoTime();
      ApplyReport report = applier.applyChanges(desired);
      incremental[r] = System.nanoTime() - s;
      assertThat(report.results()).singleElement().satisfies(x -> {
        assertThat(x.succeeded()).isTrue();
        assertThat(x.operation()).isInstanceOf(Operation.UpdateDestination.class);
      });
    }
    int fullRounds = Math.max(5, rounds / 30);
    long[] full = new long[fullRounds];
    for (int r = 0; r < fullRounds; r++) {
      desired = withWeight(table, table.keySet().iterator().next(), 10 + r % 5);
      long s = System.nanoTime();
      assertThat(applier.apply(desired).results()).hasSize(1);
      full[r] = System.nanoTime() - s;
    }
    return new Row(services, percentile(hinted, 50) / 1e3, percentile(incremental, 50) / 1e3, percentile(incremental, 90) / 1e3,
        percentile(full, 50) / 1e6, programMs);
  }

  static List<ServiceKey> keys(Map<ServiceKey, DesiredService> table) {
    return new ArrayList<>(table.keySet());
  }

  /** The table with one destination's weight changed; other services keep their instances. */
  static DesiredState withWeight(Map<ServiceKey, DesiredService> table, ServiceKey key, int weight) {
    DesiredService s = table.get(key);
    Map<DestinationKey, DesiredDestination> ds = new LinkedHashMap<>(s.destinations());
    DesiredDestination first = ds.values().iterator().next();
    ds.put(first.destination().key(), DesiredDestination.of(first.destination().withWeight(weight)));
    table.put(key, new DesiredService(s.owner(), s.service(), ds, Duration.ZERO));
    return state(table);
  }

  static DesiredState state(Map<ServiceKey, DesiredService> table) {
    return new DesiredState(table, Map.of(), Map.of(), Map.of(), List.of(), List.of());
  }

  static double percentile(long[] values, int p) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v[Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1)];
  }
}
