package io.lvs.agent.lab;

import static io.lvs.agent.kernellab.Oracle.exec;
import static io.lvs.agent.kernellab.Oracle.in;
import static io.lvs.agent.kernellab.Oracle.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.DesiredDestination;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import io.lvs.agent.runtime.AgentMetrics;
import io.lvs.agent.view.Connection;
import io.lvs.agent.view.IpvsadmText;
import io.lvs.agent.view.OwnedConnections;
import io.lvs.agent.view.ProcConnections;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The agent's connection listing (/proc/net/ip_vs_conn read by ProcConnections, our entries picked
 * by OwnedConnections, laid out by IpvsadmText) against ipvsadm -Lnc, entry by entry, while a
 * client holds TCP connections open through a persistent NAT service the agent programmed; a
 * foreign service's connection (made by hand with ipvsadm) is in ipvsadm's listing and not in
 * ours. Then, with the client sending, the kernel's rates reach the agent's Prometheus gauges.
 *
 * <pre>
 *   lvsbrc 198.18.4.0/24: cclient .10, cdir eth0 .2 (VIPs .100 ours, .101 foreign)
 *   lvsbrd 198.18.5.0/24: cdir eth1 .1, crs1 .11, crs2 .12 (default via .1)
 * </pre>
 */
@Tag("kernel")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectionTableKernelTest {
  static final String VIP = "198.18.4.100";
  static final String FOREIGN_VIP = "198.18.4.101";
  static final int PORT = 5000;
  static final int HELD = 6;

  static final String TOPOLOGY = String.join("\n",
      "set -e",
      "ip -batch - <<EOF",
      "netns add cclient", "netns add cdir", "netns add crs1", "netns add crs2",
      "link add lvsbrc type bridge", "link set lvsbrc up", "link add lvsbrd type bridge", "link set lvsbrd up",
      SeedLabsKernelTest.veth("cclient", "eth0", "lvsbrc"), SeedLabsKernelTest.veth("cdir", "eth0", "lvsbrc"),
      SeedLabsKernelTest.veth("cdir", "eth1", "lvsbrd"), SeedLabsKernelTest.veth("crs1", "eth0", "lvsbrd"),
      SeedLabsKernelTest.veth("crs2", "eth0", "lvsbrd"),
      "EOF",
      SeedLabsKernelTest.hostBatch("cclient", "eth0 198.18.4.10/24"),
      SeedLabsKernelTest.hostBatch("cdir", "eth0 198.18.4.2/24", "eth1 198.18.5.1/24",
          "addr add " + VIP + "/32 dev eth0", "addr add " + FOREIGN_VIP + "/32 dev eth0"),
      SeedLabsKernelTest.hostBatch("crs1", "eth0 198.18.5.11/24", "route add default via 198.18.5.1"),
      SeedLabsKernelTest.hostBatch("crs2", "eth0 198.18.5.12/24", "route add default via 198.18.5.1"),
      "ip netns exec cdir sysctl -qw net.ipv4.ip_forward=1",
      // someone else's service on the same director: its connections are not ours to list
      "ip netns exec cdir ipvsadm -A -t " + FOREIGN_VIP + ":" + PORT + " -s rr",
      "ip netns exec cdir ipvsadm -a -t " + FOREIGN_VIP + ":" + PORT + " -r 198.18.5.12:" + PORT + " -m");

  static final String TEARDOWN = String.join("\n",
      "for h in cclient cdir crs1 crs2; do",
      "  for p in $(ip netns pids $h 2>/dev/null); do kill $p; done; ip netns del $h 2>/dev/null; done",
      "ip link del lvsbrc 2>/dev/null; ip link del lvsbrd 2>/dev/null; true");

  LabHost director;
  NetnsThread client;
  NetnsThread rs1;
  NetnsThread rs2;
  final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  @BeforeAll
  void topology() throws Exception {
    run("sh", "-c", TEARDOWN);
    run("sh", "-c", TOPOLOGY);
    director = new LabHost("cdir", Files.createTempDirectory("lvs-conn"));
    client = new NetnsThread("cclient");
    rs1 = new NetnsThread("crs1");
    rs2 = new NetnsThread("crs2");
    sink(rs1);
    sink(rs2);
  }

  @AfterAll
  void teardown() {
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort: the namespaces go below anyway
      }
    }
    for (AutoCloseable c : new AutoCloseable[] {director, client, rs1, rs2}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // as above
      }
    }
    exec("sh", "-c", TEARDOWN);
  }

  /** A real server that accepts and reads everything, holding each connection open. */
  void sink(NetnsThread ns) {
    ServerSocket server = ns.call(() -> new ServerSocket(PORT)); // bound in the namespace
    open.add(server);
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          open.add(s);
          Thread r = new Thread(() -> drain(s));
          r.setDaemon(true);
          r.start();
        } catch (Exception e) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
  }

  static void drain(Socket s) {
    byte[] buf = new byte[8192];
    try (InputStream in = s.getInputStream()) {
      while (in.read(buf) >= 0) {
        // discard
      }
    } catch (Exception e) {
      // closed
    }
  }

  static ServiceKey ours() {
    return ServiceKey.of(IpProtocol.TCP, SeedLabsKernelTest.ip(VIP), PORT);
  }

  static DesiredService service() {
    List<DesiredDestination> ds = new ArrayList<>();
    for (String rs : List.of("198.18.5.11", "198.18.5.12")) {
      ds.add(DesiredDestination.of(Destination.of(new DestinationKey(SeedLabsKernelTest.ip(rs), PORT),
          ForwardMethod.MASQ, 1)));
    }
    return DesiredService.of("lab/conn", new IpvsService(ours(), "rr", IpvsService.F_PERSISTENT, 120, 32), ds);
  }

  List<Socket> connect(String vip, int n) {
    return client.call(() -> {
      List<Socket> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(vip, PORT), 5000);
        open.add(s);
        out.add(s);
      }
      return out;
    });
  }

  /** The agent's listing: what GET /ipvs/connections answers, read inside the director's namespace. */
  String agentListing() {
    DesiredService svc = service();
    var owned = new OwnedConnections.OwnedService(svc.owner(), svc.key(), Set.copyOf(svc.destinations().keySet()));
    return director.inside(() -> IpvsadmText.connections(OwnedConnections.of(
        ProcConnections.read(Path.of("/proc/thread-self/net/ip_vs_conn")), List.of(owned))
        .stream().map(OwnedConnections.Entry::connection).toList()));
  }

  static final Pattern LINE = Pattern.compile(
      "^(\\S+)\\s+(\\d+):(\\d+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*$");

  /** Entries of a -Lnc listing keyed by "pro state source virtual destination", expiry in seconds. */
  static Map<String, Integer> entries(String listing) {
    Map<String, Integer> out = new TreeMap<>();
    for (String line : listing.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.matches() && !line.startsWith("pro ")) {
        String key = String.join(" ", m.group(1), m.group(4), m.group(5), m.group(6), m.group(7));
        assertThat(out.put(key, Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3))))
            .as("entry twice: " + key).isNull();
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void theAgentsListingIsIpvsadmsEntryByEntryOfOurServicesOnly() throws Exception {
    DesiredState desired = DesiredState.builder().service(service()).build();
    assertThat(director.apply(desired).problems()).isEmpty();
    connect(VIP, HELD);
    connect(FOREIGN_VIP, 1);
    String ipvsadm = in("cdir", "ipvsadm", "-Lnc");
    String agent = agentListing();
    System.out.println("connection table: ipvsadm -Lnc\n" + ipvsadm + "agent /ipvs/connections\n" + agent);

    Map<String, Integer> theirs = entries(ipvsadm);
    Map<String, Integer> mine = entries(agent);
    Map<String, Integer> theirsOfOurs = new TreeMap<>(theirs);
    theirsOfOurs.keySet().removeIf(k -> k.contains(FOREIGN_VIP + ":"));
    assertThat(theirs.keySet()).as("the foreign connection is in the table").anyMatch(k -> k.contains(FOREIGN_VIP));
    assertThat(mine.keySet()).isEqualTo(theirsOfOurs.keySet());
    // HELD established connections and one persistence template (one client address), all ours
    assertThat(mine.keySet()).filteredOn(k -> k.startsWith("TCP ESTABLISHED ")).hasSize(HELD);
    assertThat(mine.keySet()).filteredOn(k -> k.contains("198.18.4.10:0 ")).hasSize(1);
    // persistence: every connection of the one client went to the one real server
    assertThat(mine.keySet().stream().map(k -> k.substring(k.lastIndexOf(' ') + 1)).distinct()).hasSize(1);
    // expiry: the two reads were apart by well under ten seconds
    mine.forEach((k, v) -> assertThat(Math.abs(v - theirsOfOurs.get(k))).as(k).isLessThanOrEqualTo(10));
    List<Connection> parsed = director.inside(() -> ProcConnections.read(Path.of("/proc/thread-self/net/ip_vs_conn")));
    assertThat(parsed).filteredOn(Connection::template).singleElement()
        .satisfies(c -> assertThat(c.client()).isEqualTo(InetAddress.getByName("198.18.4.10")));
  }

  @Test
  @Order(2)
  void underTrafficTheKernelsRatesReachTheAgentsGauges() throws Exception {
    DesiredState desired = DesiredState.builder().service(service()).build();
    assertThat(director.apply(desired).problems()).isEmpty();
    List<Socket> socks = connect(VIP, 2);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AgentMetrics metrics = new AgentMetrics(registry);
    byte[] chunk = new byte[1400];
    Stats rates = Stats.ZERO;
    long deadline = System.nanoTime() + 30_000_000_000L;
    // the kernel's estimator samples every 2 s: send until it reports packets and bytes in
    while (System.nanoTime() < deadline && (rates.inPps() == 0 || rates.inBps() == 0)) {
      long until = System.nanoTime() + 1_000_000_000L;
      while (System.nanoTime() < until) {
        for (Socket s : socks) {
          OutputStream out = s.getOutputStream();
          out.write(chunk);
          out.flush();
        }
        Thread.sleep(5);
      }
      rates = director.ipvsDump().stream().filter(s -> s.service().key().equals(ours())).findFirst()
          .map(ObservedService::stats).orElseThrow();
    }
    System.out.println("rates under traffic: " + rates);
    assertThat(rates.inPps()).isPositive();
    assertThat(rates.inBps()).isPositive();
    metrics.observed(director.ipvsDump(), Map.of(ours(), "lab/conn"));
    String scrape = metrics.scrape(); // the IPVS series are written by the metrics, not held in the registry
    String svc = "owner=\"lab/conn\",service=\"TCP " + VIP + ":" + PORT + "\"";
    Matcher m = Pattern.compile("lvs_ipvs_service_in_bytes_per_second\\{" + Pattern.quote(svc) + "\\} (\\S+)")
        .matcher(scrape);
    assertThat(m.find()).as(scrape).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isPositive();
    System.out.println("ipvsadm -Ln --rate\n" + in("cdir", "ipvsadm", "-Ln", "--rate"));
  }
}
