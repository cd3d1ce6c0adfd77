package io.lvs.agent.apply;

import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.ipvs.ProcIpvsTable;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The resync's read of the IPVS table, cheaper than a dump of every service: one service dump
 * (every service's config and counters) and the kernel's text table (every destination's key,
 * forwarding method, weight, connection counts), compared with the view. A destination dump is
 * sent only for the services that differ from the view or are new to it, and for a rolling share
 * of the others (at least {@code minimumDeep}, and all of them every {@code cycles} resyncs), so
 * what the text lacks (thresholds, tunnel settings, destination counters) is read too, only less
 * often. Without a text table, or with {@code cycles} 1, every service is dumped, as a full read does.
 */
final class TableCheck {
  /** Every service's destinations are read at least this often (in resyncs). */
  static final int DEFAULT_CYCLES = 8;
  /** Tables up to this many services are dumped whole on every resync: cheap, and counters stay fresh. */
  static final int DEFAULT_MINIMUM_DEEP = 1_000;

  private final IpvsClient ipvs;
  private final int minimumDeep;
  private final int cycles;
  private int cursor;
  private int lastDumps;

  TableCheck(IpvsClient ipvs, int minimumDeep, int cycles) {
    if (cycles < 1 || minimumDeep < 0) {
      throw new IllegalArgumentException("cycles " + cycles + " (>= 1), minimumDeep " + minimumDeep + " (>= 0)");
    }
    this.ipvs = ipvs;
    this.minimumDeep = minimumDeep;
    this.cycles = cycles;
  }

  /** The table now, as a full read would give it, but with the destinations of unchanged services taken from the view. */
  List<ObservedService> read(Map<ServiceKey, ObservedService> view) {
    // each service's lines compared with the view as they are read: no copy of the whole text is held
    Map<ServiceKey, List<ObservedDestination>> fromText = new HashMap<>();
    // every service dumped on every resync: the text would add nothing
    boolean haveText = cycles > 1 && ipvs.textTable((key, rows) -> {
      List<ObservedDestination> known = unchanged(view.get(key), rows);
      if (known != null) {
        fromText.put(key, known);
      }
    });
    if (!haveText) {
      List<ObservedService> all = ipvs.dump();
      lastDumps = all.size();
      return all;
    }
    List<ObservedService> services = ipvs.dumpServices();
    int n = services.size();
    int share = Math.min(n, Math.max(minimumDeep, (n + cycles - 1) / cycles));
    int from = n == 0 ? 0 : cursor % n;
    cursor = n == 0 ? 0 : (from + share) % n;
    List<ObservedService> out = new ArrayList<>(n);
    int dumps = 0;
    for (int i = 0; i < n; i++) {
      ObservedService s = services.get(i);
      ServiceKey key = s.service().key();
      boolean turn = Math.floorMod(i - from, n) < share;
      ObservedService was = view.get(key);
      List<ObservedDestination> known = turn || was == null || !was.service().equals(s.service()) ? null : fromText.get(key);
      if (known == null) {
        known = ipvs.dumpDestinations(key);
        dumps++;
      }
      out.add(new ObservedService(s.service(), s.stats(), known));
    }
    lastDumps = dumps;
    return out;
  }

  /** Destination dumps the last read sent. */
  int lastDumps() {
    return lastDumps;
  }

  /**
   * The view's destinations with the text's connection counts when every line of the service's
   * destinations matches the view; null when anything differs (or the view lacks the service).
   * Whether the service's own config still matches is the caller's to check (the service dump).
   */
  private static List<ObservedDestination> unchanged(ObservedService known, List<ProcIpvsTable.Row> rows) {
    if (known == null || rows.size() != known.destinations().size()) {
      return null;
    }
    Map<Object, ProcIpvsTable.Row> byKey = null; // only when the text lists them in another order than the view
    List<ObservedDestination> knownDestinations = known.destinations();
    List<ObservedDestination> out = null; // a copy only once a count moved
    for (int i = 0; i < knownDestinations.size(); i++) {
      ObservedDestination d = knownDestinations.get(i);
      ProcIpvsTable.Row r = rows.get(i);
      if (!r.isFor(d.destination().key())) {
        if (byKey == null) {
          byKey = new HashMap<>(rows.size() * 2);
          for (ProcIpvsTable.Row row : rows) {
            byKey.put(row.key(), row);
          }
        }
        r = byKey.get(d.destination().key());
      }
      if (r == null || !r.shows(d.destination())) {
        return null;
      }
      // the view's own object where the counts did not move: an idle table's resync allocates no copy of it
      boolean counted = r.active() == d.activeConnections() && r.inactive() == d.inactiveConnections();
      if (!counted && out == null) {
        out = new ArrayList<>(knownDestinations.subList(0, i));
      }
      if (out != null) {
        out.add(counted ? d
            : d.with(d.destination(), r.active(), r.inactive()));
      }
    }
    return out == null ? knownDestinations : out;
  }
}
