package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streamed text against the plain path it replaced: the client's snapshots through its own
 * writer. The same families in the same order with the same headers and the same samples; within
 * a family the client sorts the samples by their labels, the stream keeps the table's order (the
 * format does not order samples), so samples are compared as a sorted list.
 */
class IpvsStatsTextTest {
  static String text(IpvsStatsText t) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    t.write(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  static String reference(IpvsStatsText t) throws Exception {
    IpvsStatsCollector c = new IpvsStatsCollector(t.destinationLimit(), t.table());
    return IpvsStatsCollectorTest.text(c.collect());
  }

  @Test
  void randomTablesWriteWhatTheClientsWriterWritesForTheSnapshots() throws Exception {
    Random r = new Random(17);
    for (int round = 0; round < 200; round++) {
      List<ObservedService> services = new ArrayList<>();
      Map<ServiceKey, String> owners = new HashMap<>();
      int n = r.nextInt(6);
      for (int i = 0; i < n; i++) {
        ServiceKey k = r.nextInt(5) == 0 ? ServiceKey.ofFwmark(io.lvs.agent.model.Family.INET, 1 + r.nextInt(1000))
            : ServiceKey.of(r.nextBoolean() ? IpProtocol.TCP : IpProtocol.UDP,
                InetAddress.getByName(r.nextInt(4) == 0 ? "2001:db8::" + (1 + i) : "198.18.0." + (1 + i)), 1 + r.nextInt(65535));
        List<ObservedDestination> ds = new ArrayList<>();
        int m = r.nextInt(4);
        for (int d = 0; d < m; d++) {
          ds.add(new ObservedDestination(Destination.of(new DestinationKey(InetAddress.getByName("198.19.0." + (1 + d)), 80 + d),
              ForwardMethod.DROUTE, 1), 0, 0, 0, r.nextInt(4) == 0 ? null : stats(r)));
        }
        services.add(new ObservedService(new IpvsService(k, "rr", 0, 0, 32), r.nextInt(4) == 0 ? null : stats(r), ds));
        if (r.nextInt(4) != 0) {
          // names a Kubernetes object may not have, to exercise escaping all the same
          owners.put(k, r.nextInt(5) == 0 ? "ns/we\"b\\x\ny" : "ns/vs" + i);
        }
      }
      IpvsStatsText t = new IpvsStatsText(r.nextInt(8));
      t.observed(services, owners);
      assertThat(families(text(t))).as("round %d: %s owned %s", round, services, owners).isEqualTo(families(reference(t)));
    }
  }

  @Test
  void anEmptyTableAndASuppressedOneAsTheClientWritesThem() throws Exception {
    IpvsStatsText empty = new IpvsStatsText();
    assertThat(text(empty)).isEqualTo(reference(empty)).contains("lvs_agent_destination_metrics_suppressed 0.0");
    IpvsStatsText suppressed = new IpvsStatsText(1);
    ObservedService s = IpvsStatsCollectorTest.service(0, 2);
    suppressed.observed(List.of(s), Map.of(s.service().key(), "ns/web"));
    assertThat(text(suppressed)).isEqualTo(reference(suppressed)).contains("lvs_agent_destination_metrics_suppressed 1.0")
        .doesNotContain("lvs_ipvs_destination_connections{");
  }

  /** Each family: its header lines, then its samples sorted. */
  static List<List<String>> families(String text) {
    List<List<String>> out = new ArrayList<>();
    List<String> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ")) {
        flush(out, samples);
        out.add(new ArrayList<>(List.of(line)));
      } else if (line.startsWith("#")) {
        out.get(out.size() - 1).add(line);
      } else {
        samples.add(line);
      }
    }
    flush(out, samples);
    return out;
  }

  private static void flush(List<List<String>> out, List<String> samples) {
    if (!out.isEmpty()) {
      samples.sort(null);
      out.get(out.size() - 1).addAll(samples);
    }
    samples.clear();
  }

  private static Stats stats(Random r) {
    long[] v = new long[10];
    for (int i = 0; i < v.length; i++) {
      v[i] = switch (r.nextInt(4)) {
        case 0 -> 0;
        case 1 -> r.nextInt(1000);
        case 2 -> (long) r.nextInt(Integer.MAX_VALUE) << r.nextInt(30); // beyond a double's exact integers too
        default -> r.nextLong() & Long.MAX_VALUE;
      };
    }
    return new Stats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
  }
}
