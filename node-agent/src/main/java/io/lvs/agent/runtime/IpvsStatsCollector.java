package io.lvs.agent.runtime;

import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The per-service and per-destination IPVS counters ({@code lvs_ipvs_service_*},
 * {@code lvs_ipvs_destination_*}), built at scrape time from the last table read. A sync only
 * swaps one reference: at 10,000 services x 10 destinations a meter per series (five counters
 * each, 550,000 series) held hundreds of MiB and cost a re-registration of all of them per sync.
 */
final class IpvsStatsCollector implements MultiCollector {
  private record Counter(String name, ToLongFunction<Stats> value) {}

  private static final List<Counter> COUNTERS = List.of(new Counter("connections", Stats::connections),
      new Counter("in_packets", Stats::inPackets), new Counter("out_packets", Stats::outPackets),
      new Counter("in_bytes", Stats::inBytes), new Counter("out_bytes", Stats::outBytes));

  /** The last read and the owner of each service; only owned services are published. */
  private record Table(List<ObservedService> services, Map<ServiceKey, String> owners) {}

  private volatile Table table = new Table(List.of(), Map.of());

  void observed(List<ObservedService> services, Map<ServiceKey, String> owners) {
    table = new Table(services, owners);
  }

  @Override
  public MetricSnapshots collect() {
    Table t = table;
    List<MetricSnapshot> out = new ArrayList<>(2 * COUNTERS.size());
    for (Counter c : COUNTERS) {
      GaugeSnapshot.Builder svc = GaugeSnapshot.builder().name("lvs_ipvs_service_" + c.name())
          .help("IPVS service counter " + c.name().replace('_', '.') + " (kernel stats)");
      GaugeSnapshot.Builder dst = GaugeSnapshot.builder().name("lvs_ipvs_destination_" + c.name())
          .help("IPVS destination counter " + c.name().replace('_', '.') + " (kernel stats)");
      for (ObservedService s : t.services()) {
        String owner = t.owners().get(s.service().key());
        if (owner == null) {
          continue; // not ours (kube-proxy, by hand): not our metric to publish
        }
        String key = s.service().key().toString();
        svc.dataPoint(point(Labels.of("owner", owner, "service", key), c, s.stats()));
        for (ObservedDestination d : s.destinations()) {
          dst.dataPoint(point(Labels.of("destination", d.destination().key().toString(), "owner", owner, "service", key), c,
              d.stats()));
        }
      }
      out.add(svc.build());
      out.add(dst.build());
    }
    return new MetricSnapshots(out);
  }

  @Override
  public List<String> getPrometheusNames() {
    List<String> names = new ArrayList<>();
    for (Counter c : COUNTERS) {
      names.add("lvs_ipvs_service_" + c.name());
      names.add("lvs_ipvs_destination_" + c.name());
    }
    return names;
  }

  private static GaugeDataPointSnapshot point(Labels labels, Counter c, Stats s) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(s == null ? 0 : c.value().applyAsLong(s)).build();
  }
}
