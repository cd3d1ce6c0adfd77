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
 * from the last table read: a sync only swaps one reference, a scrape makes no object per series.
 * (Built as the Prometheus client's snapshots, a scrape at 1,000 services x 10 made 110,000 point
 * objects, which outlived the young generation and grew the old one; meters per series, before
 * that, held hundreds of MiB at 10,000 services.) The text is the one the client's writer gives
 * for those snapshots, byte for byte ({@code IpvsStatsTextTest}). Destination series are written
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
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 14);
    header(w, SUPPRESSED, "1 when the lvs_ipvs_destination_* series are left out: more owned destinations than "
        + destinationLimit);
    w.write(SUPPRESSED);
    w.write(' ');
    w.write(perDestination ? "0.0" : "1.0");
    w.write('\n');
    for (Family f : FAMILIES) {
      if (f.destination() && !perDestination) {
        continue;
      }
      boolean any = false;
      for (ObservedService s : t.services()) {
        String owner = t.owners().get(s.service().key());
        if (owner == null || (f.destination() && s.destinations().isEmpty())) {
          continue;
        }
        if (!any) {
          header(w, f.name(), (f.destination() ? "IPVS destination counter " : "IPVS service counter ")
              + f.counter().name().replace('_', '.') + " (kernel stats)");
          any = true;
        }
        String service = s.service().key().toString();
        if (!f.destination()) {
          point(w, f, null, owner, service, s.stats());
          continue;
        }
        for (ObservedDestination d : s.destinations()) {
          point(w, f, d.destination().key().toString(), owner, service, d.stats());
        }
      }
    }
    w.flush();
  }

  private static void header(Writer w, String name, String help) throws IOException {
    w.write("# HELP ");
    w.write(name);
    w.write(' ');
    w.write(help);
    w.write("\n# TYPE ");
    w.write(name);
    w.write(" gauge\n");
  }

  /** Labels in name order (destination, owner, service), as the client sorts them. */
  private static void point(Writer w, Family f, String destination, String owner, String service, Stats s)
      throws IOException {
    w.write(f.name());
    w.write('{');
    if (destination != null) {
      label(w, "destination", destination);
      w.write(',');
    }
    label(w, "owner", owner);
    w.write(',');
    label(w, "service", service);
    w.write("} ");
    w.write(Double.toString(s == null ? 0 : f.counter().value().applyAsLong(s)));
    w.write('\n');
  }

  private static void label(Writer w, String name, String value) throws IOException {
    w.write(name);
    w.write("=\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> w.write("\\\\");
        case '"' -> w.write("\\\"");
        case '\n' -> w.write("\\n");
        default -> w.write(c);
      }
    }
    w.write('"');
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
