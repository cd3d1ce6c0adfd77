package io.lvs.agent.ipvs;

import static io.lvs.agent.kernellab.Oracle.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.Family;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import io.lvs.agent.model.TunnelType;
import io.lvs.agent.netlink.NetlinkException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Programs IPVS in a fresh network namespace through {@link NetlinkIpvsClient} and reads it back
 * with Debian's ipvsadm (built on libnl: an independent implementation), field by field.
 */
@Tag("kernel")
class NetlinkIpvsClientKernelTest {
  private static final String NS = "kt-ipvs";
  private static NetlinkIpvsClient ipvs;

  private static final ServiceKey WEB = ServiceKey.of(IpProtocol.TCP, ip("198.18.0.100"), 80);
  private static final ServiceKey DNS = ServiceKey.of(IpProtocol.UDP, ip("198.18.0.100"), 53);
  private static final ServiceKey WEB6 = ServiceKey.of(IpProtocol.TCP, ip("2001:db8::1"), 443);
  private static final ServiceKey MARK7 = ServiceKey.ofFwmark(Family.INET, 7);
  private static final ServiceKey MARK8V6 = ServiceKey.ofFwmark(Family.INET6, 8);

  @BeforeAll
  static void namespace() {
    Oracle.freshNetns(NS);
    ipvs = NetlinkIpvsClient.open(NS);
  }

  @AfterAll
  static void cleanup() {
    if (ipvs != null) {
      ipvs.close();
    }
    Oracle.deleteNetns(NS);
  }

  @BeforeEach
  void empty() {
    in(NS, "ipvsadm", "-C");
  }

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  static Destination dest(String addr, int port, ForwardMethod m, int weight) {
    return Destination.of(new DestinationKey(ip(addr), port), m, weight);
  }

  /** ipvsadm -S -n, one rule per line, in kernel order. */
  static List<String> saved() {
    return Arrays.stream(in(NS, "ipvsadm", "-S", "-n").split("\n")).filter(l -> !l.isBlank()).toList();
  }

  @Test
  void servicesOfEveryShapeReadBackByIpvsadmAndByOurDump() {
    List<IpvsService> services = List.of(
        new IpvsService(WEB, "rr", 0, 0, 32),
        new IpvsService(DNS, "wrr", IpvsService.F_PERSISTENT, 300, 24),
        new IpvsService(WEB6, "sh", IpvsService.F_PERSISTENT | IpvsService.F_SCHED1 | IpvsService.F_SCHED2, 60, 64),
        new IpvsService(MARK7, "mh", IpvsService.F_ONEPACKET | IpvsService.F_SCHED2, 0, 32),
        new IpvsService(MARK8V6, "rr", 0, 0, 128));
    services.forEach(ipvs::addService);

    assertThat(saved()).containsExactlyInAnyOrder(
        "-A -t 198.18.0.100:80 -s rr",
        "-A -u 198.18.0.100:53 -s wrr -p 300 -M 255.255.255.0",
        "-A -t [2001:db8::1]:443 -s sh -p 60 -M 64 -b sh-fallback,sh-port",
        "-A -f 7 -s mh -o -b mh-port",
        "-A -f 8 -6 -s rr");
    assertThat(ipvs.dump()).extracting(ObservedService::service).containsExactlyInAnyOrderElementsOf(services);
    assertThat(ipvs.service(DNS)).map(IpvsCodec.DecodedService::service).contains(services.get(1));
    assertThat(ipvs.service(ServiceKey.of(IpProtocol.TCP, ip("198.18.0.101"), 80))).isEmpty();
  }

  @Test
  void destinationsOfEveryForwardingMethodReadBack() {
    ipvs.addService(new IpvsService(WEB, "wrr", 0, 0, 32));
    ipvs.addService(new IpvsService(WEB6, "rr", 0, 0, 128));
    List<Destination> dests = List.of(
        new Destination(new DestinationKey(ip("198.18.0.11"), 80), ForwardMethod.MASQ, 3, 100, 10, TunnelType.IPIP, 0, 0),
        dest("198.18.0.12", 80, ForwardMethod.DROUTE, 0),
        new Destination(new DestinationKey(ip("198.18.0.13"), 80), ForwardMethod.TUNNEL, 2, 0, 0, TunnelType.GUE, 6080,
            IpvsAttrs.IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM),
        new Destination(new DestinationKey(ip("198.18.0.14"), 80), ForwardMethod.TUNNEL, 1, 0, 0, TunnelType.GRE, 0,
            IpvsAttrs.IP_VS_TUNNEL_ENCAP_FLAG_CSUM),
        dest("198.18.0.15", 80, ForwardMethod.TUNNEL, 1));
    dests.forEach(d -> ipvs.addDestination(WEB, d));
    Destination v6 = dest("2001:db8::11", 443, ForwardMethod.DROUTE, 1);
    ipvs.addDestination(WEB6, v6);

    assertThat(saved()).contains(
        "-a -t 198.18.0.100:80 -r 198.18.0.11:80 -m -w 3",
        "-a -t 198.18.0.100:80 -r 198.18.0.12:80 -g -w 0",
        "-a -t 198.18.0.100:80 -r 198.18.0.13:80 -i -w 2 --tun-type gue --tun-port 6080 --tun-nocsum",
        "-a -t 198.18.0.100:80 -r 198.18.0.14:80 -i -w 1 --tun-type gre --tun-csum",
        "-a -t 198.18.0.100:80 -r 198.18.0.15:80 -i -w 1 --tun-type ipip",
        "-a -t [2001:db8::1]:443 -r [2001:db8::11]:443 -g -w 1");
    // ipvsadm -S leaves thresholds out; -Ln --thresholds shows them
    assertThat(in(NS, "ipvsadm", "-Ln", "--thresholds")).containsPattern("-> 198.18.0.11:80 +100 +10 ");
    assertThat(ipvs.destinations(WEB)).extracting(ObservedDestination::destination).containsExactlyInAnyOrderElementsOf(dests);
    assertThat(ipvs.destinations(WEB6)).extracting(ObservedDestination::destination).containsExactly(v6);
  }

  @Test
  void updatesAndDeletesReadBack() {
    ipvs.addService(new IpvsService(WEB, "rr", 0, 0, 32));
    ipvs.addDestination(WEB, dest("198.18.0.11", 80, ForwardMethod.MASQ, 1));
    ipvs.addDestination(WEB, dest("198.18.0.12", 80, ForwardMethod.MASQ, 1));
    ipvs.updateService(new IpvsService(WEB, "wlc", IpvsService.F_PERSISTENT, 120, 16));
    ipvs.updateDestination(WEB, new Destination(new DestinationKey(ip("198.18.0.11"), 80), ForwardMethod.DROUTE, 7, 50, 5,
        TunnelType.IPIP, 0, 0));
    ipvs.deleteDestination(WEB, new DestinationKey(ip("198.18.0.12"), 80));
    assertThat(saved()).containsExactly(
        "-A -t 198.18.0.100:80 -s wlc -p 120 -M 255.255.0.0",
        "-a -t 198.18.0.100:80 -r 198.18.0.11:80 -g -w 7");
    assertThat(in(NS, "ipvsadm", "-Ln", "--thresholds")).containsPattern("-> 198.18.0.11:80 +50 +5 ");
    ipvs.deleteService(WEB);
    assertThat(saved()).isEmpty();
    assertThat(ipvs.dump()).isEmpty();
  }

  @Test
  void kernelRefusalsNameOperationObjectAndErrno() {
    ipvs.addService(new IpvsService(WEB, "rr", 0, 0, 32));
    ipvs.addDestination(WEB, dest("198.18.0.11", 80, ForwardMethod.MASQ, 1));
    assertThatThrownBy(() -> ipvs.addService(new IpvsService(WEB, "rr", 0, 0, 32)))
        .isInstanceOf(NetlinkException.class).hasMessageStartingWith("add service TCP 198.18.0.100:80: EEXIST");
    assertThatThrownBy(() -> ipvs.addDestination(WEB, dest("198.18.0.11", 80, ForwardMethod.MASQ, 1)))
        .hasMessageStartingWith("add destination 198.18.0.11:80 to TCP 198.18.0.100:80: EEXIST");
    assertThatThrownBy(() -> ipvs.deleteDestination(WEB, new DestinationKey(ip("198.18.0.99"), 80)))
        .hasMessageStartingWith("delete destination 198.18.0.99:80 from TCP 198.18.0.100:80: ENOENT");
    assertThatThrownBy(() -> ipvs.deleteService(DNS))
        .hasMessageStartingWith("delete service UDP 198.18.0.100:53: ESRCH");
    assertThatThrownBy(() -> ipvs.addDestination(DNS, dest("198.18.0.11", 53, ForwardMethod.MASQ, 1)))
        .hasMessageStartingWith("add destination 198.18.0.11:53 to UDP 198.18.0.100:53: ESRCH");
    assertThatThrownBy(() -> ipvs.addService(new IpvsService(DNS, "nosuch", 0, 0, 32)))
        .hasMessageStartingWith("add service UDP 198.18.0.100:53: ENOENT");
    assertThatThrownBy(() -> ipvs.stopDaemon(SyncDaemon.State.BACKUP))
        .hasMessageStartingWith("stop sync daemon backup: ESRCH");
    // nothing half-done: the table is what the successful calls made
    assertThat(saved()).containsExactly("-A -t 198.18.0.100:80 -s rr", "-a -t 198.18.0.100:80 -r 198.18.0.11:80 -m -w 1");
  }

  @Test
  void batchRunsEveryCommandAndReportsEachResult() {
    List<IpvsCommand> cmds = new ArrayList<>();
    for (int s = 0; s < 40; s++) {
      ServiceKey k = ServiceKey.of(IpProtocol.TCP, ip("198.18.1." + s), 80);
      cmds.add(new IpvsCommand.AddService(new IpvsService(k, "rr", 0, 0, 32)));
      for (int d = 1; d <= 5; d++) {
        cmds.add(new IpvsCommand.AddDestination(k, dest("198.18.2." + d, 8000 + s, ForwardMethod.MASQ, d)));
      }
    }
    int dup = cmds.size();
    cmds.add(new IpvsCommand.AddService(new IpvsService(ServiceKey.of(IpProtocol.TCP, ip("198.18.1.3"), 80), "rr", 0, 0, 32)));
    cmds.add(new IpvsCommand.DeleteDestination(ServiceKey.of(IpProtocol.TCP, ip("198.18.1.0"), 80),
        new DestinationKey(ip("198.18.2.1"), 8000)));
    List<Optional<NetlinkException>> results = ipvs.execute(cmds);

    assertThat(results).hasSize(cmds.size());
    for (int i = 0; i < results.size(); i++) {
      if (i == dup) {
        assertThat(results.get(i)).get().extracting(Throwable::getMessage).asString()
            .startsWith("add service TCP 198.18.1.3:80: EEXIST");
      } else {
        assertThat(results.get(i)).as("command %d %s", i, cmds.get(i)).isEmpty();
      }
    }
    List<String> saved = saved();
    assertThat(saved.stream().filter(l -> l.startsWith("-A ")).count()).isEqualTo(40);
    assertThat(saved.stream().filter(l -> l.startsWith("-a ")).count()).isEqualTo(40 * 5 - 1);
    assertThat(saved).contains("-a -t 198.18.1.39:80 -r 198.18.2.5:8039 -m -w 5")
        .doesNotContain("-a -t 198.18.1.0:80 -r 198.18.2.1:8000 -m -w 1");
  }

  @Test
  void infoAndTimeoutsMatchIpvsadm() {
    IpvsInfo info = ipvs.info();
    assertThat(in(NS, "ipvsadm", "-Ln").lines().findFirst().orElseThrow())
        .isEqualTo("IP Virtual Server version " + info.versionString() + " (size=" + info.connectionTableSize() + ")");
    IpvsTimeouts before = ipvs.timeouts();
    assertThat(in(NS, "ipvsadm", "-L", "--timeout").trim()).isEqualTo(
        "Timeout (tcp tcpfin udp): " + before.tcpSeconds() + " " + before.tcpFinSeconds() + " " + before.udpSeconds());
    ipvs.setTimeouts(new IpvsTimeouts(901, 121, 301));
    assertThat(in(NS, "ipvsadm", "-L", "--timeout").trim()).isEqualTo("Timeout (tcp tcpfin udp): 901 121 301");
    ipvs.setTimeouts(new IpvsTimeouts(0, 0, 299)); // zero keeps the value
    assertThat(ipvs.timeouts()).isEqualTo(new IpvsTimeouts(901, 121, 299));
  }

  @Test
  void syncDaemonsStartListAndStop() {
    Oracle.exec("ip", "netns", "exec", NS, "ip", "link", "del", "sync0");
    in(NS, "ip", "link", "add", "sync0", "type", "dummy");
    in(NS, "ip", "link", "set", "sync0", "up");
    ipvs.startDaemon(new SyncDaemon(SyncDaemon.State.MASTER, "sync0", 7));
    ipvs.startDaemon(new SyncDaemon(SyncDaemon.State.BACKUP, "sync0", 8));
    List<String> lines = in(NS, "ipvsadm", "-L", "--daemon").lines().toList();
    assertThat(lines).anyMatch(l -> l.startsWith("master sync daemon (mcast=sync0, syncid=7"))
        .anyMatch(l -> l.startsWith("backup sync daemon (mcast=sync0, syncid=8"));
    assertThat(ipvs.daemons()).containsExactlyInAnyOrder(new SyncDaemon(SyncDaemon.State.MASTER, "sync0", 7),
        new SyncDaemon(SyncDaemon.State.BACKUP, "sync0", 8));
    assertThatThrownBy(() -> ipvs.startDaemon(new SyncDaemon(SyncDaemon.State.MASTER, "sync0", 9)))
        .hasMessageStartingWith("start sync daemon master on sync0 syncid 9: EEXIST");
    ipvs.stopDaemon(SyncDaemon.State.MASTER);
    ipvs.stopDaemon(SyncDaemon.State.BACKUP);
    assertThat(in(NS, "ipvsadm", "-L", "--daemon").trim()).isEmpty();
    assertThat(ipvs.daemons()).isEmpty();
  }

  @Test
  void statsAndRatesMatchIpvsadm() throws Exception {
    // Traffic generated in the namespace: connects to the VIP go through IPVS (LOCAL_OUT) to a
    // real server behind a dummy link, where the SYNs vanish; connections and packets count.
    Oracle.exec("ip", "netns", "exec", NS, "ip", "link", "del", "stats0");
    in(NS, "ip", "link", "add", "stats0", "type", "dummy");
    in(NS, "ip", "link", "set", "stats0", "up");
    in(NS, "ip", "addr", "add", "198.18.0.1/24", "dev", "stats0");
    ipvs.addService(new IpvsService(WEB, "rr", 0, 0, 32));
    ipvs.addDestination(WEB, dest("198.18.0.11", 80, ForwardMethod.MASQ, 1));
    ipvs.addDestination(WEB, dest("198.18.0.12", 80, ForwardMethod.MASQ, 1));
    for (int i = 0; i < 3; i++) {
      // under emulation curl's budget sometimes ends before its SYN leaves (no connection at all):
      // each of the three connections is tried until the kernel has counted it
      for (int attempt = 0; attempt < 5 && ipvs.dump().get(0).stats().connections() <= i; attempt++) {
        Oracle.exec("ip", "netns", "exec", NS, "curl", "-s", "--max-time", "3", "http://198.18.0.100/");
      }
    }
    // The estimator runs every 2 s and its averages decay afterwards: a positive rate must show
    // within a few seconds of the traffic (checked here, not later, when it may have decayed).
    boolean sawRate = false;
    for (int i = 0; i < 30 && !sawRate; i++) {
      Stats s = ipvs.dump().get(0).stats();
      sawRate = s.cps() > 0 || s.inBps() > 0;
      if (!sawRate) {
        Thread.sleep(200);
      }
    }
    assertThat(sawRate).as("a positive cps or inBps within 6 s of the traffic").isTrue();
    // Rates are an estimator's moving average that changes every 2 s: compare a table with our
    // dumps taken just before and after it, retrying when a tick fell in between.
    for (boolean rate : new boolean[] {false, true}) {
      boolean compared = false;
      for (int attempt = 0; attempt < 6 && !compared; attempt++) {
        ObservedService before = ipvs.dump().get(0);
        Map<String, List<String>> table = rows(in(NS, "ipvsadm", "-Ln", rate ? "--rate" : "--stats", "--exact"));
        ObservedService after = ipvs.dump().get(0);
        if (!before.equals(after)) {
          continue;
        }
        compared = true;
        assertThat(table.get("198.18.0.100:80")).containsExactly(cols(before.stats(), rate));
        long conns = 0;
        for (ObservedDestination d : before.destinations()) {
          String a = d.destination().key().toString();
          assertThat(table.get(a)).as("%s of %s", rate ? "rates" : "stats", a).containsExactly(cols(d.stats(), rate));
          conns += d.stats().connections();
        }
        if (!rate) {
          assertThat(before.stats().connections()).isEqualTo(3);
          assertThat(before.stats().inPackets()).isGreaterThanOrEqualTo(3);
          assertThat(conns).isEqualTo(3);
        }
      }
      assertThat(compared).as("a stable read around ipvsadm").isTrue();
    }
  }

  /** ipvsadm's stats/rate table: address column to the five value columns. */
  private static Map<String, List<String>> rows(String out) {
    Map<String, List<String>> m = new HashMap<>();
    out.lines().skip(3).map(l -> l.replace("->", "").trim().split("\\s+"))
        .map(a -> a[0].equals("TCP") ? Arrays.copyOfRange(a, 1, a.length) : a)
        .forEach(a -> m.put(a[0], List.of(Arrays.copyOfRange(a, 1, a.length))));
    return m;
  }

  private static String[] cols(Stats s, boolean rate) {
    return rate
        ? new String[] {"" + s.cps(), "" + s.inPps(), "" + s.outPps(), "" + s.inBps(), "" + s.outBps()}
        : new String[] {"" + s.connections(), "" + s.inPackets(), "" + s.outPackets(), "" + s.inBytes(), "" + s.outBytes()};
  }
}
