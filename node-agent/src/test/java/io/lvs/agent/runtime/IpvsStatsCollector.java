package io.lvs.agent.runtime;

import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.Stats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;

/**
 * The plain path {@link IpvsStatsText} replaced, kept as its reference: the same series built as
 * the Prometheus client's snapshots (a point object per series and counter), which the client's
 * own writer turns into text. {@code IpvsStatsTextTest} holds the streamed text to this one's.
 */
final class IpvsStatsCollector implements MultiCollector {
  private static final List<IpvsStatsText.Counter> COUNTERS = IpvsStatsText.COUNTERS;

  private final int destinationLimit;
  private final IpvsStatsText.Table table;

  IpvsStatsCollector(int destinationLimit, IpvsStatsText.Table table) {
    this.destinationLimit = destinationLimit;
    this.table = table;
  }

  @Override
  public MetricSnapshots collect() {
    IpvsStatsText.Table t = table;
    boolean perDestination = IpvsStatsText.ownedDestinations(t) <= destinationLimit;
    List<Labelled> labelled = labelled(t, perDestination);
    List<MetricSnapshot> out = new ArrayList<>(2 * COUNTERS.size() + 1);
    out.add(GaugeSnapshot.builder().name("lvs_agent_destination_metrics_suppressed")
        .help("1 when the lvs_ipvs_destination_* series are left out: more owned destinations than "
            + destinationLimit)
        .dataPoint(GaugeDataPointSnapshot.builder().value(perDestination ? 0 : 1).build()).build());
    for (IpvsStatsText.Counter c : COUNTERS) {
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
  private static List<Labelled> labelled(IpvsStatsText.Table t, boolean perDestination) {
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
    for (IpvsStatsText.Counter c : COUNTERS) {
      names.add("lvs_ipvs_service_" + c.name());
      names.add("lvs_ipvs_destination_" + c.name());
    }
    return names;
  }

  private static GaugeDataPointSnapshot point(Labels labels, IpvsStatsText.Counter c, Stats s) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(s == null ? 0 : c.value().applyAsLong(s)).build();
  }
}
