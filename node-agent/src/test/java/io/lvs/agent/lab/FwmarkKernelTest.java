package io.lvs.agent.lab;

import static io.lvs.agent.kernellab.Oracle.exec;
import static io.lvs.agent.kernellab.Oracle.in;
import static io.lvs.agent.kernellab.Oracle.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.nft.NetlinkMarkClient;
import io.lvs.agent.runtime.NftMarkProgrammer;
import io.lvs.agent.runtime.NodeStateTranslator;
import io.lvs.agent.runtime.Translation;
import io.lvs.api.v1alpha1.AddressFamily;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeMark;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A fwmark service end to end in network namespaces of the kernel-lab VM: two VIPs (port 80 on
 * one, 8080-8081 on the other) carry one mark, balanced by one DirectRouting IPVS service with
 * persistence, so a client sticks to one real server across both VIPs and ports (the use case the
 * mark exists for). Everything LVS is programmed by the agent's own code from node-state specs as
 * the operator plans them (director: the fwmark service and its marks; real servers: both VIPs
 * on lo with the ARP sysctls); the marks go through NftMarkProgrammer into the agent's table.
 * Plumbing (namespaces, veths, bridge, httpd) is ip(8) and busybox; `nft`, `ipvsadm` and `ip`
 * read the result back.
 *
 * <pre>
 *   fwmbr0 198.18.20.0/24: client .10 and .20, director eth0 .2, rs1 .11, rs2 .12
 *   VIPs 198.18.20.100 (TCP 80) and 198.18.20.101 (TCP 8080-8081), mark 9, rr, persistent 300 s
 * </pre>
 *
 * The operator does not hold fwmark VIPs on a director (the network routes them there); here the
 * lab's plumbing puts them on the director's eth0, as the seed notes' fwmark lab does by hand.
 */
@Tag("kernel")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FwmarkKernelTest {
  static final String VIP1 = "198.18.20.100";
  static final String VIP2 = "198.18.20.101";
  static final String OWNER = "lab/fwm";
  /** Someone else's chain on the same hook (no counter: its listing must not change with traffic). */
  static final String FOREIGN = "add table ip other; add chain ip other c { type filter hook prerouting priority 0; };"
      + " add rule ip other c ip daddr 198.18.99.1 drop";

  Path state;
  LabHost director;
  LabHost rs1;
  LabHost rs2;
  NetnsThread client;
  NetlinkMarkClient nft;

  static final String TOPOLOGY = String.join("\n",
      "set -e",
      "ip -batch - <<EOF",
      "netns add fwm-client", "netns add fwm-dir", "netns add fwm-rs1", "netns add fwm-rs2",
      "link add fwmbr0 type bridge", "link set fwmbr0 up",
      SeedLabsKernelTest.veth("fwm-client", "eth0", "fwmbr0"), SeedLabsKernelTest.veth("fwm-dir", "eth0", "fwmbr0"),
      SeedLabsKernelTest.veth("fwm-rs1", "eth0", "fwmbr0"), SeedLabsKernelTest.veth("fwm-rs2", "eth0", "fwmbr0"),
      "EOF",
      SeedLabsKernelTest.hostBatch("fwm-client", "eth0 198.18.20.10/24", "addr add 198.18.20.20/24 dev eth0"),
      // the network's part: the VIPs reach the director (here: on its eth0, so it answers ARP)
      SeedLabsKernelTest.hostBatch("fwm-dir", "eth0 198.18.20.2/24", "addr add " + VIP1 + "/32 dev eth0",
          "addr add " + VIP2 + "/32 dev eth0"),
      SeedLabsKernelTest.hostBatch("fwm-rs1", "eth0 198.18.20.11/24"),
      SeedLabsKernelTest.hostBatch("fwm-rs2", "eth0 198.18.20.12/24"),
      "for rs in fwm-rs1 fwm-rs2; do mkdir -p /tmp/lab-www-$rs; echo \"hello from $rs\" >/tmp/lab-www-$rs/index.html;",
      "  for p in 80 8080 8081; do",
      "    ip netns exec $rs busybox httpd -p $p -h /tmp/lab-www-$rs </dev/null >/dev/null 2>&1; done; done");

  static final String TEARDOWN = String.join("\n",
      "for h in fwm-client fwm-dir fwm-rs1 fwm-rs2; do",
      "  for p in $(ip netns pids $h 2>/dev/null); do kill $p; done; ip netns del $h 2>/dev/null; done",
      "ip link del fwmbr0 2>/dev/null; true");

  @BeforeAll
  void topology() throws Exception {
    run("sh", "-c", TEARDOWN);
    run("sh", "-c", TOPOLOGY);
    state = Files.createTempDirectory("lvs-fwm");
    director = new LabHost("fwm-dir", state.resolve("dir"));
    rs1 = new LabHost("fwm-rs1", state.resolve("rs1"));
    rs2 = new LabHost("fwm-rs2", state.resolve("rs2"));
    client = new NetnsThread("fwm-client");
    nft = NetlinkMarkClient.open("fwm-dir");
  }

  @AfterAll
  void teardown() {
    for (AutoCloseable c : new AutoCloseable[] {nft, director, rs1, rs2, client}) {
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

  /** The director's node state as the operator plans a DR fwmark service with fwmarkMatch. */
  static LvsNodeStateSpec directorSpec() {
    List<NodeDestination> rs = List.of(
        new NodeDestination("198.18.20.11", 0, 1, Forwarding.DirectRouting, null, null, null, null),
        new NodeDestination("198.18.20.12", 0, 1, Forwarding.DirectRouting, null, null, null, null));
    NodeIpvsService svc = new NodeIpvsService(OWNER, null, null, null, 9L, AddressFamily.IPv4, "rr", null, 300, null,
        rs, null);
    return new LvsNodeStateSpec("fwm-dir", List.of(svc), null, null, null, null, List.of(
        new NodeMark(OWNER, 9L, VIP1, 32, Protocol.TCP, 80, null),
        new NodeMark(OWNER, 9L, VIP2, 32, Protocol.TCP, 8080, 8081)));
  }

  /** A DR real server's node state for the same service: both VIPs on lo, the ARP sysctls. */
  static LvsNodeStateSpec realServerSpec(String node) {
    List<NodeSysctl> sysctls = new ArrayList<>();
    for (String i : List.of("all", "lo")) {
      sysctls.add(new NodeSysctl(OWNER, "net.ipv4.conf." + i + ".arp_ignore", "1"));
      sysctls.add(new NodeSysctl(OWNER, "net.ipv4.conf." + i + ".arp_announce", "2"));
    }
    return new LvsNodeStateSpec(node, null, List.of(new NodeAddress(OWNER, VIP1, 32, "lo", false),
        new NodeAddress(OWNER, VIP2, 32, "lo", false)), null, sysctls, null);
  }

  static DesiredState translated(LvsNodeStateSpec spec) {
    Translation t = new NodeStateTranslator().translate(spec);
    assertThat(t.errors()).as(spec.nodeName()).isEmpty();
    return t.desired();
  }

  /** One HTTP/1.0 GET from a chosen client address on a fresh connection; the body. */
  String get(String from, String vip, int port) {
    return client.call(() -> {
      try (Socket s = new Socket()) {
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(vip, port), 3000);
        s.setSoTimeout(3000);
        OutputStream out = s.getOutputStream();
        out.write(("GET / HTTP/1.0\r\nHost: " + vip + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        int body = response.indexOf("\r\n\r\n");
        assertThat(response).as("response from %s:%d", vip, port).startsWith("HTTP/1.");
        return response.substring(body + 4).trim();
      } catch (IOException e) {
        throw new AssertionError("GET http://" + vip + ":" + port + "/ from " + from + " failed: " + e, e);
      }
    });
  }

  @Test
  void twoVipsSharingOneMarkAreOneServiceAndAClientSticksToOneRealServerAcrossThem() throws Exception {
    in("fwm-dir", "nft", FOREIGN);
    String foreign = in("fwm-dir", "nft", "list", "table", "ip", "other");

    DesiredState dir = translated(directorSpec());
    assertThat(director.apply(dir).problems()).isEmpty();
    NftMarkProgrammer marks = new NftMarkProgrammer(nft);
    assertThat(marks.apply(dir.marks())).isEmpty();
    for (LabHost rs : List.of(rs1, rs2)) {
      assertThat(rs.apply(translated(realServerSpec(rs.netns()))).problems()).as(rs.netns()).isEmpty();
    }

    // the marks as nft itself writes them from text: the same bytecode lists the same
    Oracle.freshNetns("fwm-ref");
    try {
      Oracle.withInput(String.join("\n",
          "table ip lvs-operator-mark {",
          "  chain prerouting {",
          "    type filter hook prerouting priority mangle; policy accept;",
          "    meta l4proto tcp ip daddr " + VIP1 + " th dport 80 meta mark set 0x00000009 comment \"" + OWNER + "\"",
          "    meta l4proto tcp ip daddr " + VIP2 + " th dport 8080-8081 meta mark set 0x00000009 comment \"" + OWNER + "\"",
          "  }",
          "}", ""), "ip", "netns", "exec", "fwm-ref", "nft", "-f", "-");
      String ours = in("fwm-dir", "nft", "list", "table", "ip", "lvs-operator-mark");
      assertThat(ours).isEqualTo(in("fwm-ref", "nft", "list", "table", "ip", "lvs-operator-mark"))
          .contains("ip daddr " + VIP1).contains("ip daddr " + VIP2).contains("8080-8081");
      System.out.println("fwmark lab: nft list table ip lvs-operator-mark\n" + ours);
    } finally {
      Oracle.deleteNetns("fwm-ref");
    }
    String ipvsadm = in("fwm-dir", "ipvsadm", "-Ln");
    System.out.println("fwmark lab: ipvsadm -Ln\n" + ipvsadm);
    assertThat(ipvsadm).containsPattern("FWM\\s+9\\s+rr\\s+persistent 300")
        .containsPattern("->\\s+198\\.18\\.20\\.11:0\\s+Route").containsPattern("->\\s+198\\.18\\.20\\.12:0\\s+Route");
    assertThat(in("fwm-rs1", "ip", "-4", "addr", "show", "dev", "lo")).contains(VIP1 + "/32").contains(VIP2 + "/32");

    // each client address: one real server for both VIPs and all three ports; rr over the two
    // persistence templates puts the two clients on different real servers
    List<String> servers = new ArrayList<>();
    for (String from : List.of("198.18.20.10", "198.18.20.20")) {
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        bodies.add(get(from, VIP1, 80));
        bodies.add(get(from, VIP2, 8080));
        bodies.add(get(from, VIP2, 8081));
      }
      System.out.println("fwmark lab: client " + from + " got " + bodies);
      assertThat(bodies).as("client " + from).hasSize(9).allMatch(b -> b.equals(bodies.get(0)))
          .allMatch(b -> b.startsWith("hello from fwm-rs"));
      servers.add(bodies.get(0));
    }
    assertThat(servers).as("two clients, two persistence templates, rr").doesNotHaveDuplicates();
    // the traffic went through the one fwmark service; port 8082 is not marked and reaches nothing
    assertThat(in("fwm-dir", "ipvsadm", "-Ln", "--stats", "--exact")).containsPattern("FWM\\s+9\\s+\\d+");
    String conns = in("fwm-dir", "ipvsadm", "-Lnc");
    System.out.println("fwmark lab: ipvsadm -Lnc\n" + conns);
    assertThat(conns).contains(VIP1 + ":80").contains(VIP2 + ":8080").contains(VIP2 + ":8081");

    // removal: the service goes, the table with it, the foreign table stays; VIPs leave lo
    assertThat(director.apply(DesiredState.EMPTY).problems()).isEmpty();
    assertThat(marks.apply(List.of())).isEmpty();
    for (LabHost rs : List.of(rs1, rs2)) {
      assertThat(rs.apply(DesiredState.EMPTY).problems()).isEmpty();
    }
    assertThat(nft.list()).isEmpty();
    String ruleset = in("fwm-dir", "nft", "list", "ruleset");
    assertThat(ruleset).doesNotContain("lvs-operator-mark").doesNotContain("mark set").contains("table ip other");
    assertThat(in("fwm-dir", "nft", "list", "table", "ip", "other")).isEqualTo(foreign);
    assertThat(in("fwm-dir", "ipvsadm", "-Ln")).doesNotContain("FWM");
    assertThat(in("fwm-rs1", "ip", "-4", "addr", "show", "dev", "lo")).doesNotContain(VIP1).doesNotContain(VIP2);
  }
}
