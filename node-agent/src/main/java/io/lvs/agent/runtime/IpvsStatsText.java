package io.lvs.agent.runtime;

import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The per-service and per-destination IPVS counters ({@code lvs_ipvs_service_*},
 * {@code lvs_ipvs_destination_*}) in the Prometheus text format, written at scrape time straight
 * from the last table read: a sync only swaps one reference, a scrape formats each series' labels
 * once and writes its ten samples from them. (Built as the Prometheus client's snapshots, a scrape
 * at 1,000 services x 10 made 110,000 point objects, which outlived the young generation and grew the old one; meters per series, before
 * that, held hundreds of MiB at 10,000 services.) The text is the one the client's writer gives
 * for those snapshots, but for the order of a family's samples, which the client sorts by label
 * and the stream leaves in the table's order ({@code IpvsStatsTextTest}). Destination series are written
 * only while the owned destinations number at most {@link #DESTINATION_LIMIT} (all or none, so a
 * partial set never reads as the table): beyond it a scrape would be half a million series and a
 * 60 MB text; {@code lvs_agent_destination_metrics_suppressed} says 1 then, and the per-service
 * series remain.
 */
final class IpvsStatsText {
  record Counter(String name, ToLongFunction<Stats> value) {}

  static final List<Counter> COUNTERS = List.of(new Counter("connections", Stats::connections),
      new Counter("in_packets", Stats::inPackets), new Counter("out_packets", Stats::outPackets),
      new Counter("in_bytes", Stats::inBytes), new Counter("out_bytes", Stats::outBytes),
      // the kernel's own rate estimator (2 s samples averaged): what ipvsadm -Ln --rate shows
      new Counter("connections_per_second", Stats::cps), new Counter("in_packets_per_second", Stats::inPps),
      new Counter("out_packets_per_second", Stats::outPps), new Counter("in_bytes_per_second", Stats::inBps),
      new Counter("out_bytes_per_second", Stats::outBps));

  static final String SUPPRESSED = "lvs_agent_destination_metrics_suppressed";
  static final int DESTINATION_LIMIT = 10_000;

  /** The last read and the owner of each service; only owned services are published. */
  record Table(List<ObservedService> services, Map<ServiceKey, String> owners) {}

  /** One family: a counter of services or of destinations. */
  private record Family(String name, Counter counter, boolean destination) {}

  /** In name order, as the client's registry writes families. */
  private static final List<Family> FAMILIES;

  static {
    List<Family> f = new ArrayList<>();
    for (Counter c : COUNTERS) {
      f.add(new Family("lvs_ipvs_service_" + c.name(), c, false));
      f.add(new Family("lvs_ipvs_destination_" + c.name(), c, true));
    }
    f.sort(Comparator.comparing(Family::name));
    FAMILIES = List.copyOf(f);
  }

  private final int destinationLimit;
  private volatile Table table = new Table(List.of(), Map.of());

  IpvsStatsText() {
    this(DESTINATION_LIMIT);
  }

  IpvsStatsText(int destinationLimit) {
    this.destinationLimit = destinationLimit;
  }

  void observed(List<ObservedService> services, Map<ServiceKey, String> owners) {
    table = new Table(services, owners);
  }

  Table table() {
    return table;
  }

  int destinationLimit() {
    return destinationLimit;
  }

  /** The families, in the text format 0.0.4; the stream is left open. */
  void write(OutputStream out) throws IOException {
    Table t = table;
    boolean perDestination = ownedDestinations(t) <= destinationLimit;
    // each series' labels formatted and escaped once per scrape, not once per family
    List<Series> services = new ArrayList<>();
    List<Series> destinations = new ArrayList<>();
    for (ObservedService s : t.services()) {
      String owner = t.owners().get(s.service().key());
      if (owner == null) {
        continue; // not ours (kube-proxy's, by hand): not our metric to publish
      }
      String ownerAndService = label("owner", owner) + ',' + label("service", s.service().key().toString());
      services.add(new Series(ownerAndService, s.stats()));
      for (ObservedDestination d : perDestination ? s.destinations() : List.<ObservedDestination>of()) {
        destinations.add(new Series(label("destination", d.destination().key().toString()) + ',' + ownerAndService,
            d.stats()));
      }
    }
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 14);
    header(w, SUPPRESSED, "1 when the lvs_ipvs_destination_* series are left out: more owned destinations than "
        + destinationLimit);
    w.write(SUPPRESSED);
    w.write(' ');
    w.write(perDestination ? "0.0" : "1.0");
    w.write('\n');
    for (Family f : FAMILIES) {
      List<Series> series = f.destination() ? destinations : services;
      if (series.isEmpty()) {
        continue; // the client's writer leaves out a family without samples
      }
      header(w, f.name(), (f.destination() ? "IPVS destination counter " : "IPVS service counter ")
          + f.counter().name().replace('_', '.') + " (kernel stats)");
      for (Series x : series) {
        w.write(f.name());
        w.write('{');
        w.write(x.labels());
        w.write("} ");
        w.write(Double.toString(x.stats() == null ? 0 : f.counter().value().applyAsLong(x.stats())));
        w.write('\n');
      }
    }
    w.flush();
  }

  /** One series: its labels in name order (destination, owner, service, as the client sorts them), and its counters. */
  private record Series(String labels, Stats stats) {}

  private static void header(Writer w, String name, String help) throws IOException {
    w.write("# HELP ");
    w.write(name);
    w.write(' ');
    w.write(help);
    w.write("\n# TYPE ");
    w.write(name);
    w.write(" gauge\n");
  }

  private static String label(String name, String value) {
    StringBuilder b = new StringBuilder(name.length() + value.length() + 3).append(name).append("=\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  static int ownedDestinations(Table t) {
    int n = 0;
    for (ObservedService s : t.services()) {
      if (t.owners().containsKey(s.service().key())) {
        n += s.destinations().size();
      }
    }
    return n;
  }
}
