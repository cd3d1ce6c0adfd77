package io.lvs.agent.lab;

import static io.lvs.agent.kernellab.Oracle.exec;
import static io.lvs.agent.kernellab.Oracle.in;
import static io.lvs.agent.kernellab.Oracle.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.apply.ApplyReport;
import io.lvs.agent.dataplane.DesiredDestination;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.ObjectRef;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The seed notes' DR, NAT and TUN labs in network namespaces of the kernel-lab VM, with every
 * LVS object (IPVS services and destinations, VIPs, ARP/forwarding/rp_filter sysctls, tunl0 up)
 * programmed only by the agent's Applier from a DesiredState, running inside each host's
 * namespace. The plumbing a lab needs but the agent does not own (namespaces, veth pairs, bridges,
 * the hosts' own addresses and routes, busybox httpd) is made with ip(8). Real HTTP from the
 * client; ipvsadm, ip and sysctl read the result back as independent oracles.
 *
 * <pre>
 *   br0 198.18.0.0/24: client .10, director eth0 .2, rs1 .11, rs2 .12   (DR and TUN)
 *   br1 198.18.1.0/24: director eth1 .1, rs3 .13, rs4 .14 (default via .1) (NAT)
 *   VIPs: DR 198.18.0.100, NAT 198.18.0.101, TUN 198.18.0.102, all TCP port 80
 * </pre>
 *
 * <p>Request counts are kept modest (20 DR, 200 NAT, 10 TUN) so the class fits the kernel-lab
 * VM run's budget; one topology serves all four tests.
 */
@Tag("kernel")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedLabsKernelTest {
  static final String DR_VIP = "198.18.0.100";
  static final String NAT_VIP = "198.18.0.101";
  static final String TUN_VIP = "198.18.0.102";

  Path state;
  LabHost director;
  LabHost rs1;
  LabHost rs2;
  NetnsThread client;

  /**
   * The plumbing as one shell script that runs ip(8) in batch mode: eight processes instead of
   * fifty (each exec loads ip and its libraries over 9p under TCG, about a second under load).
   */
  static final String TOPOLOGY = String.join("\n",
      "set -e",
      "ip -batch - <<EOF",
      "netns add client", "netns add director", "netns add rs1", "netns add rs2", "netns add rs3", "netns add rs4",
      "link add lvsbr0 type bridge", "link set lvsbr0 up",
      "link add lvsbr1 type bridge", "link set lvsbr1 up",
      veth("client", "eth0", "lvsbr0"), veth("director", "eth0", "lvsbr0"), veth("director", "eth1", "lvsbr1"),
      veth("rs1", "eth0", "lvsbr0"), veth("rs2", "eth0", "lvsbr0"),
      veth("rs3", "eth0", "lvsbr1"), veth("rs4", "eth0", "lvsbr1"),
      "EOF",
      hostBatch("client", "eth0 198.18.0.10/24"),
      hostBatch("director", "eth0 198.18.0.2/24", "eth1 198.18.1.1/24"),
      hostBatch("rs1", "eth0 198.18.0.11/24"),
      hostBatch("rs2", "eth0 198.18.0.12/24"),
      hostBatch("rs3", "eth0 198.18.1.13/24", "route add default via 198.18.1.1"),
      hostBatch("rs4", "eth0 198.18.1.14/24", "route add default via 198.18.1.1"),
      // httpd daemonizes without closing stdio: /dev/null, or reading our output never ends
      "for rs in rs1 rs2 rs3 rs4; do mkdir -p /tmp/lab-www-$rs; echo \"hello from $rs\" >/tmp/lab-www-$rs/index.html;",
      "  ip netns exec $rs busybox httpd -p 80 -h /tmp/lab-www-$rs </dev/null >/dev/null 2>&1; done");

  /** A veth pair: DEV in the namespace, v-NS-DEV on the bridge (ip batch lines). */
  static String veth(String netns, String dev, String bridge) {
    String outer = "v" + netns + dev;
    return "link add " + outer + " type veth peer name " + dev + " netns " + netns + "\n"
        + "link set " + outer + " master " + bridge + " up";
  }

  /** One ip -n NS -batch for a host: lo up, each "DEV ADDR/LEN" added and up, other lines verbatim. */
  static String hostBatch(String netns, String... lines) {
    StringBuilder b = new StringBuilder("ip -n " + netns + " -batch - <<EOF\nlink set lo up\n");
    for (String l : lines) {
      String[] f = l.split(" ");
      if (f.length == 2) {
        b.append("addr add ").append(f[1]).append(" dev ").append(f[0]).append('\n')
            .append("link set ").append(f[0]).append(" up\n");
      } else {
        b.append(l).append('\n');
      }
    }
    return b.append("EOF").toString();
  }

  static final String TEARDOWN = String.join("\n",
      "for h in client director rs1 rs2 rs3 rs4; do",
      "  for p in $(ip netns pids $h 2>/dev/null); do kill $p; done; ip netns del $h 2>/dev/null; done",
      "ip link del lvsbr0 2>/dev/null; ip link del lvsbr1 2>/dev/null; true");

  @BeforeAll
  void topology() throws Exception {
    log("building the topology");
    run("sh", "-c", TEARDOWN);
    run("sh", "-c", TOPOLOGY);
    log("namespaces up");
    state = Files.createTempDirectory("lvs-state");
    director = new LabHost("director", state.resolve("director"));
    rs1 = new LabHost("rs1", state.resolve("rs1"));
    rs2 = new LabHost("rs2", state.resolve("rs2"));
    client = new NetnsThread("client");
    log("topology up");
  }

  static void log(String what) {
    System.out.println(java.time.LocalTime.now() + " lab: " + what);
  }

  @AfterAll
  void teardown() {
    for (AutoCloseable c : new AutoCloseable[] {director, rs1, rs2, client}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // best effort: the namespaces go below anyway
        }
      }
    }
    exec("sh", "-c", TEARDOWN);
  }

  // ---- desired states, as the operator would hand them to each node ----

  static InetAddress ip(String a) {
    try {
      return InetAddress.getByName(a);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(a, e);
    }
  }

  static ServiceKey tcp80(String vip) {
    return ServiceKey.of(IpProtocol.TCP, ip(vip), 80);
  }

  static DesiredService service(String owner, String vip, String scheduler, ForwardMethod m, Map<String, Integer> rs) {
    List<DesiredDestination> ds = new ArrayList<>();
    rs.forEach((a, w) -> ds.add(DesiredDestination.of(Destination.of(new DestinationKey(ip(a), 80), m, w))));
    return DesiredService.of(owner, new IpvsService(tcp80(vip), scheduler, 0, 0, 0), ds);
  }

  static InterfaceAddress addr(String a, String dev) {
    return new InterfaceAddress(dev, ip(a), 32);
  }

  static Map<String, Integer> weights(Object... pairs) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
    return m;
  }

  static DesiredState drDirector() {
    return DesiredState.builder()
        .address(addr(DR_VIP, "eth0"), "lab/dr", true)
        .service(service("lab/dr", DR_VIP, "rr", ForwardMethod.DROUTE, weights("198.18.0.11", 1, "198.18.0.12", 1)))
        .build();
  }

  /** The seed's real-server recipe: ARP sysctls on all and the interface, the VIP on lo. */
  static DesiredState drRealServer() {
    return DesiredState.builder()
        .sysctl("net.ipv4.conf.all.arp_ignore", "1", "lab/dr")
        .sysctl("net.ipv4.conf.eth0.arp_ignore", "1", "lab/dr")
        .sysctl("net.ipv4.conf.all.arp_announce", "2", "lab/dr")
        .sysctl("net.ipv4.conf.eth0.arp_announce", "2", "lab/dr")
        .address(addr(DR_VIP, "lo"), "lab/dr", false)
        .build();
  }

  static DesiredState natDirector() {
    return DesiredState.builder()
        .sysctl("net.ipv4.ip_forward", "1", "lab/nat")
        .address(addr(NAT_VIP, "eth0"), "lab/nat", true)
        .service(service("lab/nat", NAT_VIP, "wrr", ForwardMethod.MASQ, weights("198.18.1.13", 3, "198.18.1.14", 1)))
        .build();
  }

  static DesiredState tunDirector() {
    return DesiredState.builder()
        .address(addr(TUN_VIP, "eth0"), "lab/tun", true)
        .service(service("lab/tun", TUN_VIP, "rr", ForwardMethod.TUNNEL, weights("198.18.0.11", 1, "198.18.0.12", 1)))
        .build();
  }

  /** TUN real server: tunl0 up, the VIP on it, rp_filter relaxed (decapsulated packets arrive on tunl0). */
  static DesiredState tunRealServer() {
    return DesiredState.builder()
        .link("tunl0", "ipip", "lab/tun")
        .sysctl("net.ipv4.conf.tunl0.rp_filter", "0", "lab/tun")
        .sysctl("net.ipv4.conf.all.rp_filter", "0", "lab/tun")
        .sysctl("net.ipv4.conf.all.arp_ignore", "1", "lab/tun")
        .sysctl("net.ipv4.conf.all.arp_announce", "2", "lab/tun")
        .address(addr(TUN_VIP, "tunl0"), "lab/tun", false)
        .build();
  }

  // ---- helpers ----

  static ApplyReport applied(LabHost h, DesiredState d) {
    log("apply on " + h.netns());
    ApplyReport r = h.apply(d);
    assertThat(r.problems()).as(h.netns() + " problems").isEmpty();
    assertThat(r.conflicts()).as(h.netns() + " conflicts").isEmpty();
    // read back by the agent itself: the kernel now holds exactly what was asked
    assertThat(h.apply(d).results()).as(h.netns() + " second apply").isEmpty();
    return r;
  }

  List<String> requests(String vip, int n) {
    log(n + " requests to " + vip);
    return client.call(() -> {
      List<String> bodies = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        bodies.add(HttpProbe.get(vip, 80));
      }
      return bodies;
    });
  }

  static Map<String, Integer> histogram(List<String> bodies) {
    Map<String, Integer> m = new TreeMap<>();
    bodies.forEach(b -> m.merge(b, 1, Integer::sum));
    return m;
  }

  /** ipvsadm -Ln --stats --exact: Conns, InPkts, OutPkts of one service line. */
  static long[] ipvsadmStats(String netns, String vip) {
    for (String line : in(netns, "ipvsadm", "-Ln", "--stats", "--exact").split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 5 && f[0].equals("TCP") && f[1].equals(vip + ":80")) {
        return new long[] {Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])};
      }
    }
    throw new AssertionError("no service " + vip + ":80 in ipvsadm -Ln --stats of " + netns);
  }

  /**
   * ipvsadm's Conns, InPkts, OutPkts once they have settled: the kernel folds its per-CPU counters
   * into what it reports on the estimator's 2 s tick, so right after the traffic they may still be
   * short (Conns 0 was seen). Polls until Conns reaches {@code conns} and a read a tick later is
   * the same.
   */
  static long[] settledStats(String netns, String vip, long conns) throws InterruptedException {
    long[] last = ipvsadmStats(netns, vip);
    for (int i = 0; i < 10; i++) {
      Thread.sleep(2200);
      long[] now = ipvsadmStats(netns, vip);
      if (now[0] == conns && Arrays.equals(now, last)) {
        return now;
      }
      last = now;
    }
    throw new AssertionError("ipvsadm stats of " + vip + " in " + netns + " did not settle at " + conns
        + " connections: " + Arrays.toString(last));
  }

  static List<String> saved(String netns) {
    return Arrays.stream(in(netns, "ipvsadm", "-S", "-n").split("\n")).map(String::trim).filter(l -> !l.isEmpty()).toList();
  }

  static String sysctl(String netns, String key) {
    return in(netns, "sysctl", "-n", key).trim();
  }

  /** The four ARP sysctls of the DR recipe, "key = value" lines, read by one sysctl process. */
  static String arpSysctls(String netns) {
    return in(netns, "sysctl", "net.ipv4.conf.all.arp_ignore", "net.ipv4.conf.eth0.arp_ignore",
        "net.ipv4.conf.all.arp_announce", "net.ipv4.conf.eth0.arp_announce");
  }

  static String addrs(String netns, String dev) {
    return in(netns, "ip", "-o", "addr", "show", "dev", dev);
  }

  // ---- the labs ----

  @Test
  void drRoundRobinAlternatesAndRepliesBypassTheDirector() throws InterruptedException {
    applied(director, drDirector());
    applied(rs1, drRealServer());
    applied(rs2, drRealServer());
    assertThat(saved("director")).contains(
        "-A -t " + DR_VIP + ":80 -s rr",
        "-a -t " + DR_VIP + ":80 -r 198.18.0.11:80 -g -w 1",
        "-a -t " + DR_VIP + ":80 -r 198.18.0.12:80 -g -w 1");
    assertThat(sysctl("rs1", "net.ipv4.conf.all.arp_ignore")).isEqualTo("1");
    assertThat(sysctl("rs1", "net.ipv4.conf.eth0.arp_announce")).isEqualTo("2");
    assertThat(addrs("rs2", "lo")).contains(DR_VIP + "/32");

    List<String> bodies = requests(DR_VIP, 20);

    for (int i = 1; i < bodies.size(); i++) {
      assertThat(bodies.get(i)).as("request %d after %s", i, bodies.get(i - 1)).isNotEqualTo(bodies.get(i - 1));
    }
    assertThat(histogram(bodies)).containsExactlyInAnyOrderEntriesOf(
        Map.of("hello from rs1", 10, "hello from rs2", 10));
    long[] stats = settledStats("director", DR_VIP, 20);
    assertThat(stats[1]).as("InPkts").isGreaterThan(0);
    assertThat(stats[2]).as("OutPkts at the director in DR").isZero();
    ObservedService ours = director.ipvsDump().stream()
        .filter(s -> s.service().key().equals(tcp80(DR_VIP))).findFirst().orElseThrow();
    assertThat(ours.stats().outPackets()).isZero();
    assertThat(ours.stats().inPackets()).isEqualTo(stats[1]);

    assertThat(director.deleteAll().problems()).isEmpty();
    assertThat(rs1.deleteAll().problems()).isEmpty();
    assertThat(rs2.deleteAll().problems()).isEmpty();
    assertThat(saved("director")).isEmpty();
    assertThat(addrs("rs1", "lo")).doesNotContain(DR_VIP);
    assertThat(sysctl("rs1", "net.ipv4.conf.all.arp_ignore")).isEqualTo("0");
  }

  @Test
  void natWeightedRoundRobinSplitsThreeToOne() throws InterruptedException {
    String forwardBefore = sysctl("director", "net.ipv4.ip_forward");
    applied(director, natDirector());
    assertThat(sysctl("director", "net.ipv4.ip_forward")).isEqualTo("1");
    assertThat(saved("director")).contains(
        "-A -t " + NAT_VIP + ":80 -s wrr",
        "-a -t " + NAT_VIP + ":80 -r 198.18.1.13:80 -m -w 3",
        "-a -t " + NAT_VIP + ":80 -r 198.18.1.14:80 -m -w 1");

    Map<String, Integer> h = histogram(requests(NAT_VIP, 200));

    assertThat(h).containsOnlyKeys("hello from rs3", "hello from rs4");
    assertThat(h.get("hello from rs3")).isBetween(140, 160); // 3:1 of 200 = 150 / 50
    assertThat(h.get("hello from rs4")).isBetween(40, 60);
    long[] stats = settledStats("director", NAT_VIP, 200);
    assertThat(stats[2]).as("OutPkts: NAT replies return through the director").isGreaterThan(0);

    assertThat(director.deleteAll().problems()).isEmpty();
    assertThat(saved("director")).isEmpty();
    assertThat(sysctl("director", "net.ipv4.ip_forward")).isEqualTo(forwardBefore);
  }

  @Test
  void tunRoundRobinThroughIpipTunnels() throws InterruptedException {
    String rpBefore = sysctl("rs1", "net.ipv4.conf.all.rp_filter");
    applied(director, tunDirector());
    applied(rs1, tunRealServer());
    applied(rs2, tunRealServer());
    assertThat(saved("director")).contains(
        "-a -t " + TUN_VIP + ":80 -r 198.18.0.11:80 -i -w 1 --tun-type ipip",
        "-a -t " + TUN_VIP + ":80 -r 198.18.0.12:80 -i -w 1 --tun-type ipip");
    assertThat(in("rs1", "ip", "-o", "link", "show", "tunl0")).contains("UP");
    assertThat(addrs("rs1", "tunl0")).contains(TUN_VIP + "/32");
    assertThat(sysctl("rs2", "net.ipv4.conf.tunl0.rp_filter")).isEqualTo("0");

    List<String> bodies = requests(TUN_VIP, 10);

    assertThat(histogram(bodies)).containsExactlyInAnyOrderEntriesOf(
        Map.of("hello from rs1", 5, "hello from rs2", 5));
    long[] stats = settledStats("director", TUN_VIP, 10);
    assertThat(stats[1]).as("InPkts").isGreaterThan(0);
    assertThat(stats[2]).as("OutPkts at the director in TUN").isZero();

    assertThat(director.deleteAll().problems()).isEmpty();
    assertThat(rs1.deleteAll().problems()).isEmpty();
    assertThat(rs2.deleteAll().problems()).isEmpty();
    assertThat(addrs("rs1", "tunl0")).doesNotContain(TUN_VIP);
    assertThat(sysctl("rs1", "net.ipv4.conf.all.rp_filter")).isEqualTo(rpBefore);
    assertThat(saved("director")).isEmpty();
  }

  @Test
  void foreignServiceAddressAndSysctlsSurviveApplyAndDeleteCycles() {
    // kube-proxy or an administrator got there first
    in("director", "ipvsadm", "-A", "-t", "198.18.0.199:80", "-s", "wlc");
    in("director", "ipvsadm", "-a", "-t", "198.18.0.199:80", "-r", "198.18.0.11:80", "-g", "-w", "3");
    in("director", "ipvsadm", "-A", "-t", DR_VIP + ":443", "-s", "sh");
    in("director", "ip", "addr", "add", "198.18.0.198/32", "dev", "eth0");
    in("rs1", "sysctl", "-w", "net.ipv4.conf.eth0.arp_ignore=2");
    List<String> foreignRules = saved("director");
    String foreignAddrs = addrs("director", "eth0");
    String rsSysctls = arpSysctls("rs1");
    DesiredState wantsAForeignOne = DesiredState.builder()
        .address(addr(DR_VIP, "eth0"), "lab/dr", true)
        .service(service("lab/dr", DR_VIP, "rr", ForwardMethod.DROUTE, weights("198.18.0.11", 1, "198.18.0.12", 1)))
        .service(service("lab/clash", "198.18.0.199", "rr", ForwardMethod.DROUTE, weights("198.18.0.12", 1)))
        .build();
    try {
      for (int cycle = 0; cycle < 2; cycle++) {
        ApplyReport a = director.apply(wantsAForeignOne);
        assertThat(a.problems()).isEmpty();
        assertThat(a.conflicts()).extracting(c -> c.object()).containsExactly(ObjectRef.service(tcp80("198.18.0.199")));
        assertThat(rs1.apply(drRealServer()).problems()).isEmpty();
        assertThat(saved("director")).containsAll(foreignRules).contains("-A -t " + DR_VIP + ":80 -s rr");
        assertThat(sysctl("rs1", "net.ipv4.conf.eth0.arp_ignore")).isEqualTo("1");

        director.restartAgent(); // a restarted agent knows its own objects from the state file
        assertThat(director.apply(wantsAForeignOne).results()).isEmpty();

        assertThat(director.deleteAll().problems()).isEmpty();
        assertThat(rs1.deleteAll().problems()).isEmpty();
        assertThat(saved("director")).isEqualTo(foreignRules);
        assertThat(addrs("director", "eth0")).isEqualTo(foreignAddrs);
        assertThat(arpSysctls("rs1")).isEqualTo(rsSysctls);
      }
    } finally {
      exec("ip", "netns", "exec", "director", "ipvsadm", "-D", "-t", "198.18.0.199:80");
      exec("ip", "netns", "exec", "director", "ipvsadm", "-D", "-t", DR_VIP + ":443");
      exec("ip", "netns", "exec", "director", "ip", "addr", "del", "198.18.0.198/32", "dev", "eth0");
      exec("ip", "netns", "exec", "rs1", "sysctl", "-w", "net.ipv4.conf.eth0.arp_ignore=0");
    }
  }
}
