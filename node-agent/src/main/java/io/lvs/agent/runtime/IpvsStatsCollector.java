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
 * Destination series are published only while the owned destinations number at most
 * {@link #DESTINATION_LIMIT} (all or none, so a partial set never reads as the table): beyond it a
 * scrape would build half a million series and a 60 MB text, more than the agent's memory limit;
 * {@code lvs_agent_destination_metrics_suppressed} says 1 then, and the per-service series remain.
 */
final class IpvsStatsCollector implements MultiCollector {
  private record Counter(String name, ToLongFunction<Stats> value) {}

  private static final List<Counter> COUNTERS = List.of(new Counter("connections", Stats::connections),
      new Counter("in_packets", Stats::inPackets), new Counter("out_packets", Stats::outPackets),
      new Counter("in_bytes", Stats::inBytes), new Counter("out_bytes", Stats::outBytes),
      // the kernel's own rate estimator (2 s samples averaged): what ipvsadm -Ln --rate shows
      new Counter("connections_per_second", Stats::cps), new Counter("in_packets_per_second", Stats::inPps),
      new Counter("out_packets_per_second", Stats::outPps), new Counter("in_bytes_per_second", Stats::inBps),
      new Counter("out_bytes_per_second", Stats::outBps));

  /** The last read and the owner of each service; only owned services are published. */
  private record Table(List<ObservedService> services, Map<ServiceKey, String> owners) {}

  static final int DESTINATION_LIMIT = 10_000;
  private final int destinationLimit;
  private volatile Table table = new Table(List.of(), Map.of());

  IpvsStatsCollector() {
    this(DESTINATION_LIMIT);
  }

  IpvsStatsCollector(int destinationLimit) {
    this.destinationLimit = destinationLimit;
  }

  void observed(List<ObservedService> services, Map<ServiceKey, String> owners) {
    table = new Table(services, owners);
  }

  @Override
  public MetricSnapshots collect() {
    Table t = table;
    boolean perDestination = ownedDestinations(t) <= destinationLimit;
    List<Labelled> labelled = labelled(t, perDestination);
    List<MetricSnapshot> out = new ArrayList<>(2 * COUNTERS.size() + 1);
    out.add(GaugeSnapshot.builder().name("lvs_agent_destination_metrics_suppressed")
        .help("1 when the lvs_ipvs_destination_* series are left out: more owned destinations than "
            + destinationLimit)
        .dataPoint(GaugeDataPointSnapshot.builder().value(perDestination ? 0 : 1).build()).build());
    for (Counter c : COUNTERS) {
      GaugeSnapshot.Builder svc = GaugeSnapshot.builder().name("lvs_ipvs_service_" + c.name())
          .help("IPVS service counter " + c.name().replace('_', '.') + " (kernel stats)");
      GaugeSnapshot.Builder dst = GaugeSnapshot.builder().name("lvs_ipvs_destination_" + c.name())
          .help("IPVS destination counter " + c.name().replace('_', '.') + " (kernel stats)");
      for (Labelled l : labelled) {
        (l.destination() ? dst : svc).dataPoint(point(l.labels(), c, l.stats()));
      }
      out.add(svc.build());
      out.add(dst.build());
    }
    return new MetricSnapshots(out);
  }

  /** One series' labels and counters: its labels are made once per scrape, not once per counter. */
  private record Labelled(boolean destination, Labels labels, Stats stats) {}

  /** The owned services' series (not ours: kube-proxy's, by hand: not our metric to publish) and, if published, their destinations'. */
  private static List<Labelled> labelled(Table t, boolean perDestination) {
    List<Labelled> out = new ArrayList<>();
    for (ObservedService s : t.services()) {
      String owner = t.owners().get(s.service().key());
      if (owner == null) {
        continue;
      }
      String key = s.service().key().toString();
      out.add(new Labelled(false, Labels.of("owner", owner, "service", key), s.stats()));
      for (ObservedDestination d : perDestination ? s.destinations() : List.<ObservedDestination>of()) {
        out.add(new Labelled(true, Labels.of("destination", d.destination().key().toString(), "owner", owner,
            "service", key), d.stats()));
      }
    }
    return out;
  }

  @Override
  public List<String> getPrometheusNames() {
    List<String> names = new ArrayList<>(List.of("lvs_agent_destination_metrics_suppressed"));
    for (Counter c : COUNTERS) {
      names.add("lvs_ipvs_service_" + c.name());
      names.add("lvs_ipvs_destination_" + c.name());
    }
    return names;
  }

  private static int ownedDestinations(Table t) {
    int n = 0;
    for (ObservedService s : t.services()) {
      if (t.owners().containsKey(s.service().key())) {
        n += s.destinations().size();
      }
    }
    return n;
  }

  private static GaugeDataPointSnapshot point(Labels labels, Counter c, Stats s) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(s == null ? 0 : c.value().applyAsLong(s)).build();
  }
}
