package io.lvs.agent.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.kernellab.BenchTable;
import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 1,000 services x 10 destinations from an empty table: {@link NetlinkIpvsClient#execute} (many
 * requests per datagram), the same client one request at a time, and `ipvsadm -R` fed the
 * equivalent rules (its process start-up measured apart, with empty input), beside the floor: the
 * same requests pre-encoded ({@link PreEncoded}). Each run starts from an empty table in a fresh
 * namespace and every method's table is read back with ipvsadm -S -n and compared. Run in the kernel-lab VM: mvn -B -pl node-agent -am verify -DkernelLab.tag=benchmark
 */
@Tag("benchmark")
class IpvsProgrammingBenchmark {
  static final int SERVICES = 1000;
  static final int DESTS = 10;
  static final int ROUNDS = 7;

  static InetAddress ip(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static ServiceKey service(int s) {
    return ServiceKey.of(IpProtocol.TCP, ip(198, 18, s / 250, s % 250 + 1), 80);
  }

  static DestinationKey dest(int s, int d) {
    return new DestinationKey(ip(198, 19, d, s % 250 + 1), 8000 + s / 250);
  }

  static List<IpvsCommand> commands() {
    List<IpvsCommand> out = new ArrayList<>(SERVICES * (DESTS + 1));
    for (int s = 0; s < SERVICES; s++) {
      out.add(new IpvsCommand.AddService(new IpvsService(service(s), "wrr", 0, 0, 32)));
      for (int d = 0; d < DESTS; d++) {
        out.add(new IpvsCommand.AddDestination(service(s), Destination.of(dest(s, d), ForwardMethod.MASQ, 1 + d)));
      }
    }
    return out;
  }

  static String restoreInput() {
    StringBuilder b = new StringBuilder();
    for (int s = 0; s < SERVICES; s++) {
      ServiceKey k = service(s);
      b.append("-A -t ").append(k.address().getHostAddress()).append(":80 -s wrr\n");
      for (int d = 0; d < DESTS; d++) {
        b.append("-a -t ").append(k.address().getHostAddress()).append(":80 -r ").append(dest(s, d)).append(" -m -w ")
            .append(1 + d).append('\n');
      }
    }
    return b.toString();
  }

  @Test
  void agentBatchVersusIpvsadmRestore() throws Exception {
    List<IpvsCommand> cmds = commands();
    Path rules = Files.createTempFile("ipvsadm-rules", ".txt");
    Files.writeString(rules, restoreInput());
    Path none = Files.createTempFile("ipvsadm-empty", ".txt");
    BenchTable t = new BenchTable(SERVICES, DESTS);
    String expected = null;
    for (int round = 0; round < ROUNDS; round++) {
      String ns = "bench" + round;
      Oracle.freshNetns(ns + "a");
      try (NetlinkIpvsClient c = NetlinkIpvsClient.open(ns + "a")) {
        t.time(BATCHED, () -> assertThat(c.execute(cmds)).allMatch(Optional::isEmpty));
      }
      expected = readBack(ns + "a", expected);

      Oracle.freshNetns(ns + "f");
      try (PreEncoded floor = new PreEncoded(ns + "f")) {
        List<java.nio.ByteBuffer> batches = floor.batches(cmds); // encoded before the clock starts
        t.time(FLOOR, () -> assertThat(floor.runBatches(batches)).isZero());
      }
      readBack(ns + "f", expected);

      Oracle.freshNetns(ns + "b");
      try (NetlinkIpvsClient c = NetlinkIpvsClient.open(ns + "b")) {
        t.time(SINGLE, () -> {
          for (IpvsCommand cmd : cmds) {
            if (cmd instanceof IpvsCommand.AddService a) {
              c.addService(a.service());
            } else if (cmd instanceof IpvsCommand.AddDestination a) {
              c.addDestination(a.service(), a.destination());
            }
          }
        });
      }
      readBack(ns + "b", expected);

      Oracle.freshNetns(ns + "c");
      t.child(RESTORE, ns + "c", "ipvsadm -R < " + rules);
      readBack(ns + "c", expected);
      Oracle.freshNetns(ns + "s"); // readBack deleted ns c
      t.child(STARTUP, ns + "s", "ipvsadm -R < " + none);
      Oracle.deleteNetns(ns + "s");
    }
    double restore = t.median(RESTORE, 0);
    double startup = t.median(STARTUP, 0);
    t.note("ratio to ipvsadm -R (wall medians): batched", t.median(BATCHED, 0) / restore);
    t.note("ratio to ipvsadm -R without its start-up: batched", t.median(BATCHED, 0) / (restore - startup));
    t.note("ratio to ipvsadm -R: one request per call", t.median(SINGLE, 0) / restore);
    t.note("batched / floor (wall medians): how far the codec and reply loop are from the floor",
        t.median(BATCHED, 0) / t.median(FLOOR, 0));
    t.write(Path.of("target", "benchmark-ipvs-programming.txt"));
    assertThat(expected).isNotNull();
  }

  static final String BATCHED = "agent, batched (NetlinkIpvsClient.execute)";
  static final String FLOOR = "floor: the same requests pre-encoded, ACKs only counted";
  static final String SINGLE = "agent, one request per call";
  static final String RESTORE = "ipvsadm -R (process, ip netns exec included)";
  static final String STARTUP = "ipvsadm -R start-up alone (empty input)";

  /** The namespace's table (then the namespace is deleted); equal to {@code expected} when given. */
  static String readBack(String ns, String expected) {
    String table = Oracle.in(ns, "ipvsadm", "-S", "-n");
    Oracle.deleteNetns(ns);
    assertThat(table.lines().count()).isEqualTo(SERVICES * (DESTS + 1));
    if (expected != null) {
      assertThat(table).isEqualTo(expected);
    }
    return table;
  }
}
