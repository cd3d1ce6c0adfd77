package io.lvs.agent.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.netlink.NetlinkException;
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
 * equivalent rules. Each run starts from an empty table in a fresh namespace and is checked with
 * ipvsadm -S -n. Run in the kernel-lab VM: mvn -B -pl node-agent -am verify -DkernelLab.tag=benchmark
 */
@Tag("benchmark")
class IpvsProgrammingBenchmark {
  static final int SERVICES = 1000;
  static final int DESTS = 10;
  static final int ROUNDS = 3;

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
    String rules = restoreInput();
    List<Long> batch = new ArrayList<>();
    List<Long> single = new ArrayList<>();
    List<Long> restore = new ArrayList<>();
    String expected = null;
    for (int round = 0; round < ROUNDS; round++) {
      String ns = "bench" + round;
      Oracle.freshNetns(ns + "a");
      try (NetlinkIpvsClient c = NetlinkIpvsClient.open(ns + "a")) {
        long t0 = System.nanoTime();
        List<Optional<NetlinkException>> r = c.execute(cmds);
        batch.add(System.nanoTime() - t0);
        assertThat(r).allMatch(Optional::isEmpty);
      }
      String ours = Oracle.in(ns + "a", "ipvsadm", "-S", "-n");
      Oracle.deleteNetns(ns + "a");

      Oracle.freshNetns(ns + "b");
      try (NetlinkIpvsClient c = NetlinkIpvsClient.open(ns + "b")) {
        long t0 = System.nanoTime();
        for (IpvsCommand cmd : cmds) {
          if (cmd instanceof IpvsCommand.AddService a) {
            c.addService(a.service());
          } else if (cmd instanceof IpvsCommand.AddDestination a) {
            c.addDestination(a.service(), a.destination());
          }
        }
        single.add(System.nanoTime() - t0);
      }
      Oracle.deleteNetns(ns + "b");

      Oracle.freshNetns(ns + "c");
      long t0 = System.nanoTime();
      Oracle.withInput(rules, "ip", "netns", "exec", ns + "c", "ipvsadm", "-R");
      restore.add(System.nanoTime() - t0);
      String theirs = Oracle.in(ns + "c", "ipvsadm", "-S", "-n");
      Oracle.deleteNetns(ns + "c");

      assertThat(ours).isEqualTo(theirs);
      assertThat(ours.lines().count()).isEqualTo(SERVICES * (DESTS + 1));
      expected = ours;
    }
    long b = median(batch);
    long s = median(single);
    long r = median(restore);
    String report = String.format(java.util.Locale.ROOT,
        "IPVS programming, %d services x %d destinations from empty, median of %d rounds (kernel-lab VM, TCG)%n"
            + "agent NetlinkIpvsClient.execute (batched): %d ms  (rounds %s)%n"
            + "agent one request per call:               %d ms  (rounds %s)%n"
            + "ipvsadm -R:                               %d ms  (rounds %s)%n"
            + "ratio batched/ipvsadm -R: %.2f; one-by-one/ipvsadm -R: %.2f%n",
        SERVICES, DESTS, ROUNDS, b / 1_000_000, ms(batch), s / 1_000_000, ms(single), r / 1_000_000, ms(restore),
        (double) b / r, (double) s / r);
    System.out.print(report);
    Path out = Path.of("target", "benchmark-ipvs-programming.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
    assertThat(expected).isNotNull();
  }

  private static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  private static List<Long> ms(List<Long> xs) {
    return xs.stream().map(x -> x / 1_000_000).toList();
  }
}
