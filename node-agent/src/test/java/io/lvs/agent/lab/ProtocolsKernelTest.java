package io.lvs.agent.lab;

import static io.lvs.agent.kernellab.Oracle.exec;
import static io.lvs.agent.kernellab.Oracle.in;
import static io.lvs.agent.kernellab.Oracle.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.apply.ApplyReport;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.kernellab.IpvsadmListing;
import io.lvs.agent.runtime.NodeStateTranslator;
import io.lvs.agent.runtime.Translation;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.Protocol;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * UDP with and without one-packet scheduling, and SCTP, with real traffic through a NAT director
 * in the kernel-lab VM. The director's services, VIPs and ip_forward come from a node spec through
 * the agent's translator and Applier (so the node state's "one-packet" flag word is what reaches
 * the kernel); ipvsadm reads them back. The UDP receivers are sockets the test opens inside each
 * real server's namespace; SCTP runs between socat processes (the kernel's sctp module).
 *
 * <pre>
 *   br lvsbr2 198.18.4.0/24: pclient .10, pdirector eth0 .2
 *   br lvsbr3 198.18.5.0/24: pdirector eth1 .1, prs1 .11, prs2 .12 (default via .1)
 *   UDP 198.18.4.100:5353 rr ops, UDP 198.18.4.101:5353 rr, SCTP 198.18.4.102:7777 rr; all masq
 * </pre>
 */
@Tag("kernel")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolsKernelTest {
  static final String OPS_VIP = "198.18.4.100";
  static final String PLAIN_VIP = "198.18.4.101";
  static final String SCTP_VIP = "198.18.4.102";
  static final int UDP_PORT = 5353;
  static final int SCTP_PORT = 7777;
  static final List<String> REAL_SERVERS = List.of("prs1", "prs2");

  static final String TOPOLOGY = String.join("\n",
      "set -e",
      "ip -batch - <<EOF",
      "netns add pclient", "netns add pdirector", "netns add prs1", "netns add prs2",
      "link add lvsbr2 type bridge", "link set lvsbr2 up",
      "link add lvsbr3 type bridge", "link set lvsbr3 up",
      SeedLabsKernelTest.veth("pclient", "eth0", "lvsbr2"), SeedLabsKernelTest.veth("pdirector", "eth0", "lvsbr2"),
      SeedLabsKernelTest.veth("pdirector", "eth1", "lvsbr3"),
      SeedLabsKernelTest.veth("prs1", "eth0", "lvsbr3"), SeedLabsKernelTest.veth("prs2", "eth0", "lvsbr3"),
      "EOF",
      SeedLabsKernelTest.hostBatch("pclient", "eth0 198.18.4.10/24"),
      SeedLabsKernelTest.hostBatch("pdirector", "eth0 198.18.4.2/24", "eth1 198.18.5.1/24"),
      SeedLabsKernelTest.hostBatch("prs1", "eth0 198.18.5.11/24", "route add default via 198.18.5.1"),
      SeedLabsKernelTest.hostBatch("prs2", "eth0 198.18.5.12/24", "route add default via 198.18.5.1"),
      // each real server answers an SCTP association with its name, then closes it; stdio to
      // /dev/null, or reading this script's output never ends
      "for rs in prs1 prs2; do ip netns exec $rs socat -U SCTP-LISTEN:" + SCTP_PORT + ",reuseaddr,fork"
          + " SYSTEM:\"echo sctp from $rs\" </dev/null >/dev/null 2>&1 & done");

  static final String TEARDOWN = String.join("\n",
      "for h in pclient pdirector prs1 prs2; do",
      "  for p in $(ip netns pids $h 2>/dev/null); do kill $p; done; ip netns del $h 2>/dev/null; done",
      "ip link del lvsbr2 2>/dev/null; ip link del lvsbr3 2>/dev/null; true");

  Path state;
  LabHost director;
  NetnsThread client;
  final Map<String, NetnsThread> rsThreads = new TreeMap<>();
  final Map<String, DatagramSocket> receivers = new TreeMap<>();

  @BeforeAll
  void topology() throws Exception {
    SeedLabsKernelTest.log("building the UDP/SCTP topology");
    run("sh", "-c", TEARDOWN);
    run("sh", "-c", TOPOLOGY);
    state = Files.createTempDirectory("lvs-state");
    director = new LabHost("pdirector", state.resolve("pdirector"));
    client = new NetnsThread("pclient");
    for (String rs : REAL_SERVERS) {
      NetnsThread t = new NetnsThread(rs);
      rsThreads.put(rs, t);
      // a socket opened on a thread in the namespace belongs to that namespace
      receivers.put(rs, t.call(() -> new DatagramSocket(new InetSocketAddress(UDP_PORT))));
    }
    ApplyReport r = director.apply(desired(spec()));
    assertThat(r.problems()).as("director problems").isEmpty();
    assertThat(r.conflicts()).as("director conflicts").isEmpty();
  }

  @AfterAll
  void teardown() {
    receivers.values().forEach(DatagramSocket::close);
    List<AutoCloseable> all = new ArrayList<>(rsThreads.values());
    all.add(client);
    all.add(director);
    for (AutoCloseable c : all) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort: the namespaces go below anyway
      }
    }
    exec("sh", "-c", TEARDOWN);
  }

  /** The node spec the operator would write for the director: three services, their VIPs, forwarding on. */
  static LvsNodeStateSpec spec() {
    List<NodeDestination> udp = REAL_SERVERS.stream().map(rs -> masq(rs, UDP_PORT)).toList();
    List<NodeDestination> sctp = REAL_SERVERS.stream().map(rs -> masq(rs, SCTP_PORT)).toList();
    return new LvsNodeStateSpec("pdirector",
        List.of(new NodeIpvsService("lab/ops", OPS_VIP, UDP_PORT, Protocol.UDP, null, null, "rr",
                List.of("one-packet"), null, null, udp, null),
            new NodeIpvsService("lab/plain", PLAIN_VIP, UDP_PORT, Protocol.UDP, null, null, "rr", null, null, null, udp,
                null),
            new NodeIpvsService("lab/sctp", SCTP_VIP, SCTP_PORT, Protocol.SCTP, null, null, "rr", null, null, null, sctp,
                null)),
        List.of(new NodeAddress("lab/ops", OPS_VIP, 32, "eth0", false),
            new NodeAddress("lab/plain", PLAIN_VIP, 32, "eth0", false),
            new NodeAddress("lab/sctp", SCTP_VIP, 32, "eth0", false)),
        null, List.of(new NodeSysctl("lab/ops", "net.ipv4.ip_forward", "1")), null);
  }

  static NodeDestination masq(String rs, int port) {
    return new NodeDestination("198.18.5.1" + rs.charAt(rs.length() - 1), port, 1, Forwarding.NAT, null, null, null,
        null);
  }

  /** The translator's desired state, failing on any translation error. */
  static DesiredState desired(LvsNodeStateSpec spec) {
    Translation t = new NodeStateTranslator().translate(spec);
    assertThat(t.errors()).as("translation errors").isEmpty();
    return t.desired();
  }

  /**
   * Sends {@code n} datagrams to each VIP, interleaved, all from one client socket (one source
   * port), and returns "VIP -> real server -> count" once all have arrived (or after 10 s).
   */
  Map<String, Map<String, Integer>> sendFromOnePort(int n, String... vips) throws Exception {
    Map<String, Map<String, Integer>> got = new ConcurrentHashMap<>();
    List<Thread> readers = new ArrayList<>();
    long deadline = System.nanoTime() + 10_000_000_000L;
    int expected = n * vips.length;
    AtomicInteger total = new AtomicInteger();
    receivers.forEach((rs, socket) -> {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[256];
        try {
          socket.setSoTimeout(200);
          while (total.get() < expected && System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
              socket.receive(p);
            } catch (SocketTimeoutException e) {
              continue;
            }
            String vip = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII).split(" ")[0];
            got.computeIfAbsent(vip, k -> new ConcurrentHashMap<>()).merge(rs, 1, Integer::sum);
            total.incrementAndGet();
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }, "udp-" + rs);
      t.start();
      readers.add(t);
    });
    client.call(() -> {
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(40000))) {
        for (int i = 0; i < n; i++) {
          for (String vip : vips) {
            byte[] b = (vip + " " + i).getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress(vip, UDP_PORT)));
          }
        }
      }
      return null;
    });
    for (Thread t : readers) {
      t.join();
    }
    assertThat(total.get()).as("datagrams received of " + expected + ": " + got).isEqualTo(expected);
    return got;
  }

  @Test
  void onePacketSpreadsDatagramsOfOneSourcePortWithoutItTheyStickToOneRealServer() throws Exception {
    IpvsadmListing listed = IpvsadmListing.of("pdirector");
    assertThat(listed.service("UDP " + OPS_VIP + ":" + UDP_PORT).flags()).containsExactly("ops");
    assertThat(listed.service("UDP " + PLAIN_VIP + ":" + UDP_PORT).flags()).isEmpty();
    assertThat(listed.service("UDP " + OPS_VIP + ":" + UDP_PORT).destinations())
        .containsExactlyInAnyOrder("198.18.5.11:5353 Masq 1", "198.18.5.12:5353 Masq 1");

    SeedLabsKernelTest.log("10 datagrams each to " + OPS_VIP + " and " + PLAIN_VIP + " from port 40000");
    Map<String, Map<String, Integer>> got = sendFromOnePort(10, OPS_VIP, PLAIN_VIP);

    // ops: every datagram is scheduled on its own, rr alternates
    assertThat(got.get(OPS_VIP)).as("one-packet " + got).containsOnlyKeys("prs1", "prs2");
    assertThat(got.get(OPS_VIP).values()).allSatisfy(c -> assertThat(c).isBetween(4, 6));
    // without: the first datagram makes a connection entry, the others follow it
    assertThat(got.get(PLAIN_VIP)).as("plain UDP " + got).hasSize(1).containsValue(10);
  }

  @Test
  void sctpAssociationsAreBalancedOverTheRealServers() {
    IpvsadmListing listed = IpvsadmListing.of("pdirector");
    IpvsadmListing.Service sctp = listed.service("SCTP " + SCTP_VIP + ":" + SCTP_PORT);
    assertThat(sctp.scheduler()).isEqualTo("rr");
    assertThat(sctp.destinations()).containsExactlyInAnyOrder("198.18.5.11:7777 Masq 1", "198.18.5.12:7777 Masq 1");

    // four associations, each read until the real server closes it (-u: nothing sent, so no early SHUTDOWN)
    // (timeout: a lost INIT would otherwise be retried for minutes, and Oracle reads until EOF)
    SeedLabsKernelTest.log("4 SCTP associations to " + SCTP_VIP);
    String replies = in("pclient", "sh", "-c", "for i in 1 2 3 4; do timeout 20 socat -u -T 5 SCTP:" + SCTP_VIP + ":"
        + SCTP_PORT + ",connect-timeout=10 STDOUT || echo failed; done");

    assertThat(replies.lines().toList()).as(replies)
        .containsExactlyInAnyOrder("sctp from prs1", "sctp from prs2", "sctp from prs1", "sctp from prs2");
  }
}
