package io.lvs.agent.lab;

import static io.lvs.agent.kernellab.Oracle.exec;
import static io.lvs.agent.kernellab.Oracle.in;
import static io.lvs.agent.kernellab.Oracle.run;
import static io.lvs.agent.lab.SeedLabsKernelTest.applied;
import static io.lvs.agent.lab.SeedLabsKernelTest.histogram;
import static io.lvs.agent.lab.SeedLabsKernelTest.hostBatch;
import static io.lvs.agent.lab.SeedLabsKernelTest.ip;
import static io.lvs.agent.lab.SeedLabsKernelTest.veth;
import static io.lvs.agent.lab.SeedLabsKernelTest.weights;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.kernellab.IpvsadmListing;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpvsService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The DR and NAT labs over IPv6 in the kernel-lab VM: every LVS object (services, VIPs /128,
 * forwarding) programmed by the agent's Applier, real HTTP from the client, ipvsadm as oracle.
 * Addresses are in 2001:2::/48, IPv6's benchmarking block (RFC 5180), the counterpart of the
 * lab's 198.18.0.0/15; nothing leaves the VM.
 *
 * <p>IPv6 has no arp_ignore / arp_announce: Linux answers a neighbour solicitation only for an
 * address on the interface it arrives on (ndisc_recv_ns looks the target up strictly on that
 * device) and solicits from the outgoing interface's own address, so a DR real server with the VIP
 * on lo neither answers for it nor leaks it. The test proves it: the real servers get no sysctl,
 * and the client's neighbour entry for the VIP is the director's MAC.
 *
 * <pre>
 *   lvsbr4 2001:2:0:4::/64: v6client ::10, v6director eth0 ::2, v6rs1 ::11, v6rs2 ::12   (DR)
 *   lvsbr5 2001:2:0:5::/64: v6director eth1 ::1, v6rs3 ::13, v6rs4 ::14 (default via ::1)  (NAT)
 *   VIPs: DR 2001:2:0:4::100, NAT 2001:2:0:4::101, TCP port 80
 * </pre>
 */
@Tag("kernel")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ipv6KernelTest {
  static final String DR_VIP = "2001:2:0:4::100";
  static final String NAT_VIP = "2001:2:0:4::101";
  static final List<String> HOSTS = List.of("v6client", "v6director", "v6rs1", "v6rs2", "v6rs3", "v6rs4");

  /** As SeedLabsKernelTest's, with "nodad": a lab address is usable at once, not after DAD's second. */
  static final String TOPOLOGY = String.join("\n",
      "set -e",
      "ip -batch - <<EOF",
      "netns add v6client", "netns add v6director", "netns add v6rs1", "netns add v6rs2", "netns add v6rs3",
      "netns add v6rs4",
      "link add lvsbr4 type bridge", "link set lvsbr4 up",
      "link add lvsbr5 type bridge", "link set lvsbr5 up",
      veth("v6client", "eth0", "lvsbr4"), veth("v6director", "eth0", "lvsbr4"), veth("v6director", "eth1", "lvsbr5"),
      veth("v6rs1", "eth0", "lvsbr4"), veth("v6rs2", "eth0", "lvsbr4"),
      veth("v6rs3", "eth0", "lvsbr5"), veth("v6rs4", "eth0", "lvsbr5"),
      "EOF",
      hostBatch("v6client", v6("eth0", "2001:2:0:4::10")),
      hostBatch("v6director", v6("eth0", "2001:2:0:4::2"), v6("eth1", "2001:2:0:5::1")),
      hostBatch("v6rs1", v6("eth0", "2001:2:0:4::11")),
      hostBatch("v6rs2", v6("eth0", "2001:2:0:4::12")),
      hostBatch("v6rs3", v6("eth0", "2001:2:0:5::13"), "route add default via 2001:2:0:5::1"),
      hostBatch("v6rs4", v6("eth0", "2001:2:0:5::14"), "route add default via 2001:2:0:5::1"),
      // busybox httpd listens on [::]:80; stdio to /dev/null, or reading our output never ends
      "for rs in v6rs1 v6rs2 v6rs3 v6rs4; do mkdir -p /tmp/lab-www-$rs; echo \"hello from $rs\" >/tmp/lab-www-$rs/index.html;",
      "  ip netns exec $rs busybox httpd -p 80 -h /tmp/lab-www-$rs </dev/null >/dev/null 2>&1; done");

  static final String TEARDOWN = String.join("\n",
      "for h in " + String.join(" ", HOSTS) + "; do",
      "  for p in $(ip netns pids $h 2>/dev/null); do kill $p; done; ip netns del $h 2>/dev/null; done",
      "ip link del lvsbr4 2>/dev/null; ip link del lvsbr5 2>/dev/null; true");

  /** hostBatch lines for a /64 without DAD, the interface up. */
  static String v6(String dev, String address) {
    return "addr add " + address + "/64 dev " + dev + " nodad\nlink set " + dev + " up";
  }

  Path state;
  LabHost director;
  LabHost rs1;
  LabHost rs2;
  NetnsThread client;

  @BeforeAll
  void topology() throws Exception {
    SeedLabsKernelTest.log("building the IPv6 topology");
    run("sh", "-c", TEARDOWN);
    run("sh", "-c", TOPOLOGY);
    state = Files.createTempDirectory("lvs-state");
    director = new LabHost("v6director", state.resolve("v6director"));
    rs1 = new LabHost("v6rs1", state.resolve("v6rs1"));
    rs2 = new LabHost("v6rs2", state.resolve("v6rs2"));
    client = new NetnsThread("v6client");
  }

  @AfterAll
  void teardown() {
    for (AutoCloseable c : new AutoCloseable[] {director, rs1, rs2, client}) {
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

  static InterfaceAddress vip128(String a, String dev) {
    return new InterfaceAddress(dev, ip(a), 128);
  }

  /**
   * SeedLabsKernelTest's rr service with the persistence netmask an IPv6 service needs: the kernel
   * refuses prefix 0 for IPv6 with EINVAL (1..128), where 0 is a valid IPv4 mask. The translator
   * defaults it to 128 for the operator's services.
   */
  static DesiredService service(String owner, String vip, ForwardMethod m, Map<String, Integer> rs) {
    DesiredService v4 = SeedLabsKernelTest.service(owner, vip, "rr", m, rs);
    IpvsService s = v4.service();
    return DesiredService.of(owner, new IpvsService(s.key(), s.scheduler(), s.flags(), s.timeoutSeconds(), 128),
        List.copyOf(v4.destinations().values()));
  }

  List<String> requests(String vip, int n) {
    SeedLabsKernelTest.log(n + " requests to " + vip);
    return client.call(() -> {
      List<String> bodies = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        bodies.add(HttpProbe.get(vip, 80));
      }
      return bodies;
    });
  }

  static String mac(String netns, String dev) {
    return in(netns, "ip", "-o", "link", "show", "dev", dev).replaceAll("(?s).*link/ether ([0-9a-f:]{17}).*", "$1");
  }

  @Test
  void drOverIpv6WithTheVipOnLoAndNoArpSysctls() {
    applied(director, DesiredState.builder()
        .address(vip128(DR_VIP, "eth0"), "lab/dr6", false)
        .service(service("lab/dr6", DR_VIP, ForwardMethod.DROUTE, weights("2001:2:0:4::11", 1, "2001:2:0:4::12", 1)))
        .build());
    DesiredState realServer = DesiredState.builder().address(vip128(DR_VIP, "lo"), "lab/dr6", false).build();
    applied(rs1, realServer);
    applied(rs2, realServer);
    IpvsadmListing.Service svc = IpvsadmListing.of("v6director").service("TCP [" + DR_VIP + "]:80");
    assertThat(svc.scheduler()).isEqualTo("rr");
    assertThat(svc.destinations()).containsExactlyInAnyOrder("[2001:2:0:4::11]:80 Route 1", "[2001:2:0:4::12]:80 Route 1");
    assertThat(in("v6rs1", "ip", "-o", "addr", "show", "dev", "lo")).contains(DR_VIP + "/128");

    List<String> bodies = requests(DR_VIP, 4);

    assertThat(histogram(bodies)).containsExactlyInAnyOrderEntriesOf(Map.of("hello from v6rs1", 2, "hello from v6rs2", 2));
    // only the director answered the client's solicitation for the VIP
    assertThat(in("v6client", "ip", "-6", "neigh", "show", DR_VIP)).contains("lladdr " + mac("v6director", "eth0"));

    assertThat(director.deleteAll().problems()).isEmpty();
    assertThat(rs1.deleteAll().problems()).isEmpty();
    assertThat(rs2.deleteAll().problems()).isEmpty();
    assertThat(in("v6director", "ipvsadm", "-S", "-n")).isEmpty();
    assertThat(in("v6rs1", "ip", "-o", "addr", "show", "dev", "lo")).doesNotContain(DR_VIP);
  }

  @Test
  void natOverIpv6ForwardsThroughTheDirector() {
    String forwardingBefore = in("v6director", "sysctl", "-n", "net.ipv6.conf.all.forwarding").trim();
    applied(director, DesiredState.builder()
        .sysctl("net.ipv6.conf.all.forwarding", "1", "lab/nat6")
        .address(vip128(NAT_VIP, "eth0"), "lab/nat6", false)
        .service(service("lab/nat6", NAT_VIP, ForwardMethod.MASQ, weights("2001:2:0:5::13", 1, "2001:2:0:5::14", 1)))
        .build());
    IpvsadmListing.Service svc = IpvsadmListing.of("v6director").service("TCP [" + NAT_VIP + "]:80");
    assertThat(svc.destinations()).containsExactlyInAnyOrder("[2001:2:0:5::13]:80 Masq 1", "[2001:2:0:5::14]:80 Masq 1");

    List<String> bodies = requests(NAT_VIP, 4);

    assertThat(histogram(bodies)).containsExactlyInAnyOrderEntriesOf(Map.of("hello from v6rs3", 2, "hello from v6rs4", 2));

    assertThat(director.deleteAll().problems()).isEmpty();
    assertThat(in("v6director", "ipvsadm", "-S", "-n")).isEmpty();
    assertThat(in("v6director", "sysctl", "-n", "net.ipv6.conf.all.forwarding").trim()).isEqualTo(forwardingBefore);
  }
}
