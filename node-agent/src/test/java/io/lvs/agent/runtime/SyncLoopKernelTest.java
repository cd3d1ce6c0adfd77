package io.lvs.agent.runtime;

import static io.lvs.agent.kernellab.Oracle.in;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.apply.Applier;
import io.lvs.agent.apply.ConnectionDrainer;
import io.lvs.agent.diff.Differ;
import io.lvs.agent.ipvs.NetlinkIpvsClient;
import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.ownership.FileOwnershipStore;
import io.lvs.agent.rtnl.NetlinkRtnlClient;
import io.lvs.agent.runtime.health.HealthChecker;
import io.lvs.agent.sysctl.ProcSysctl;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.Protocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's sync loop on a real kernel (kernel-lab VM), in a fresh network namespace, with
 * Debian's ipvsadm and ip as oracles: the spec is programmed, a restarted loop changes nothing,
 * drift made by hand is repaired, a hand-made service is never touched, and deleting the node's
 * only slice removes exactly what the agent added. The API-server side of the same loop is covered by
 * AgentApiServerTest; the multi-node labs with AgentMain by the e2e suite.
 */
@Tag("kernel")
class SyncLoopKernelTest {
  static final String NS = "kt-agent-sync";
  /** The segment's other end, for interfaceOf: a neighbour that learns the VIP from gratuitous ARP. */
  static final String PEER = "kt-agent-sync-peer";

  @BeforeAll
  static void namespace() {
    Oracle.freshNetns(NS);
  }

  @AfterAll
  static void cleanup() {
    Oracle.deleteNetns(NS);
    Oracle.deleteNetns(PEER);
  }

  static LvsNodeStateSpec spec(boolean with11, int weight12) {
    List<NodeDestination> dests = new ArrayList<>();
    if (with11) {
      dests.add(new NodeDestination("198.18.0.11", 8080, 1, Forwarding.NAT, null, null, null, null));
    }
    dests.add(new NodeDestination("198.18.0.12", 8080, weight12, Forwarding.NAT, null, null, null, null));
    return new LvsNodeStateSpec("vm-node",
        List.of(new NodeIpvsService("demo/web", "198.18.0.100", 80, Protocol.TCP, null, null, "rr", null, null, null,
            dests, null)),
        List.of(new NodeAddress("demo/web", "198.18.0.100", 32, "lo", false)), null, null, null);
  }

  static String ipvs() {
    return in(NS, "ipvsadm", "-S", "-n");
  }

  @Test
  void programsRepairsRestartsWithoutChangesAndRemovesOnlyItsOwn(@TempDir Path stateDir) throws Exception {
    in(NS, "ipvsadm", "-A", "-t", "198.18.0.200:80", "-s", "wlc"); // kube-proxy's, or an administrator's
    List<Map<String, LvsNodeStateStatus>> published = new CopyOnWriteArrayList<>();
    ScheduledExecutorService exec = Executors.newScheduledThreadPool(2);
    try (NetlinkIpvsClient ipvs = NetlinkIpvsClient.open(NS); NetlinkRtnlClient rtnl = NetlinkRtnlClient.open(NS)) {
      SyncLoop first = loop(ipvs, rtnl, stateDir, exec, published);
      first.onSlices(List.of(new NodeSlice("vm-node", 1, spec(true, 2))), Map.of());
      SyncOutcome o = first.syncNow().orElseThrow();

      assertThat(o.report().fullySucceeded()).as(o.report().problems().toString()).isTrue();
      assertThat(ipvs()).contains("-A -t 198.18.0.100:80 -s rr")
          .contains("-a -t 198.18.0.100:80 -r 198.18.0.11:8080 -m -w 1")
          .contains("-a -t 198.18.0.100:80 -r 198.18.0.12:8080 -m -w 2")
          .contains("-A -t 198.18.0.200:80 -s wlc");
      assertThat(in(NS, "ip", "addr", "show", "dev", "lo")).contains("inet 198.18.0.100/32");
      LvsNodeStateStatus s = published.get(published.size() - 1).get("vm-node");
      assertThat(s.owners()).singleElement().satisfies(r -> assertThat(r.programmed()).isTrue());
      assertThat(s.services()).singleElement().satisfies(r -> {
        assertThat(r.service()).isEqualTo("TCP 198.18.0.100:80");
        assertThat(r.destinations()).extracting(d -> d.address() + ":" + d.port() + " w" + d.weight())
            .containsExactly("198.18.0.11:8080 w1", "198.18.0.12:8080 w2");
        assertThat(r.connections()).isZero();
      });
      first.close();

      // a restarted agent (new loop, same owned.json) reads the kernel and changes nothing
      SyncLoop second = loop(ipvs, rtnl, stateDir, exec, published);
      second.onSlices(List.of(new NodeSlice("vm-node", 1, spec(true, 2))), Map.of());
      SyncOutcome again = second.syncNow().orElseThrow();
      assertThat(again.report().plan().operations()).isEmpty();
      assertThat(again.report().conflicts()).isEmpty();

      // drift by hand is repaired
      in(NS, "ipvsadm", "-e", "-t", "198.18.0.100:80", "-r", "198.18.0.12:8080", "-m", "-w", "9");
      in(NS, "ipvsadm", "-d", "-t", "198.18.0.100:80", "-r", "198.18.0.11:8080");
      second.syncNow();
      assertThat(ipvs()).contains("-a -t 198.18.0.100:80 -r 198.18.0.11:8080 -m -w 1")
          .contains("-a -t 198.18.0.100:80 -r 198.18.0.12:8080 -m -w 2");

      // a spec change: one member leaves, the other's weight changes
      second.onSlices(List.of(new NodeSlice("vm-node", 2, spec(false, 5))), Map.of());
      second.syncNow();
      assertThat(ipvs()).contains("-a -t 198.18.0.100:80 -r 198.18.0.12:8080 -m -w 5").doesNotContain("198.18.0.11:8080");
      assertThat(published.get(published.size() - 1).get("vm-node").observedGeneration()).isEqualTo(2);

      // a second slice: the union is programmed, each slice gets its own status
      NodeSlice other = new NodeSlice("vm-node.1", 4, new LvsNodeStateSpec("vm-node",
          List.of(new NodeIpvsService("demo/api", "198.18.0.101", 80, Protocol.TCP, null, null, "rr", null, null, null,
              List.of(new NodeDestination("198.18.0.13", 8080, 1, Forwarding.NAT, null, null, null, null)), null)),
          List.of(new NodeAddress("demo/api", "198.18.0.101", 32, "lo", false)), null, null, null));
      second.onSlices(List.of(new NodeSlice("vm-node", 2, spec(false, 5)), other), Map.of());
      second.syncNow();
      assertThat(ipvs()).contains("-a -t 198.18.0.100:80 -r 198.18.0.12:8080 -m -w 5")
          .contains("-a -t 198.18.0.101:80 -r 198.18.0.13:8080 -m -w 1");
      assertThat(published.get(published.size() - 1).get("vm-node.1").observedGeneration()).isEqualTo(4);
      assertThat(published.get(published.size() - 1).get("vm-node.1").owners()).singleElement()
          .satisfies(r -> assertThat(r.owner()).isEqualTo("demo/api"));
      // ... and deleting it takes exactly its entries
      second.onSlices(List.of(new NodeSlice("vm-node", 2, spec(false, 5))), Map.of());
      second.syncNow();
      assertThat(ipvs()).doesNotContain("198.18.0.101").contains("-a -t 198.18.0.100:80 -r 198.18.0.12:8080 -m -w 5");
      assertThat(in(NS, "ip", "addr", "show", "dev", "lo")).doesNotContain("198.18.0.101").contains("198.18.0.100");

      // the node's last slice is deleted: exactly what the agent added goes, the foreign service stays
      second.onSlices(List.of(), Map.of());
      second.syncNow();
      assertThat(ipvs()).doesNotContain("198.18.0.100").contains("-A -t 198.18.0.200:80 -s wlc");
      assertThat(in(NS, "ip", "addr", "show", "dev", "lo")).doesNotContain("198.18.0.100");
      second.close();
    } finally {
      exec.shutdownNow();
    }
  }

  /**
   * A VIP holder without directors.vipInterface: the address names the interface by the node IP it
   * holds (interfaceOf). It lands on that interface (not lo) and is announced out of it; one naming
   * an address no interface holds is refused for its owner only; the node IP is never touched.
   */
  @Test
  void interfaceOfPutsTheVipOnTheInterfaceHoldingTheNodeIpAndAnnouncesItThere(@TempDir Path stateDir)
      throws Exception {
    Oracle.freshNetns(PEER);
    in(NS, "ip", "link", "add", "kt-up", "type", "veth", "peer", "name", "kt-peer", "netns", PEER);
    in(NS, "ip", "addr", "add", "198.18.9.1/24", "dev", "kt-up"); // the node's InternalIP, not ours
    in(NS, "ip", "link", "set", "kt-up", "up");
    in(PEER, "sysctl", "-q", "-w", "net.ipv4.conf.kt-peer.arp_accept=1");
    in(PEER, "ip", "addr", "add", "198.18.9.2/24", "dev", "kt-peer");
    in(PEER, "ip", "link", "set", "kt-peer", "up");
    LvsNodeStateSpec spec = new LvsNodeStateSpec("vm-node", null,
        List.of(new NodeAddress("demo/vip", "198.18.9.100", 32, null, true, "198.18.9.1"),
            new NodeAddress("demo/lost", "198.18.9.101", 32, null, true, "198.18.9.250")), null, null, null);
    List<Map<String, LvsNodeStateStatus>> published = new CopyOnWriteArrayList<>();
    ScheduledExecutorService exec = Executors.newScheduledThreadPool(2);
    try (NetlinkIpvsClient ipvs = NetlinkIpvsClient.open(NS); NetlinkRtnlClient rtnl = NetlinkRtnlClient.open(NS)) {
      SyncLoop loop = loop(ipvs, rtnl, stateDir, exec, published);
      loop.onSlices(List.of(new NodeSlice("vm-node", 1, spec)), Map.of());
      SyncOutcome o = loop.syncNow().orElseThrow();

      assertThat(o.report().fullySucceeded()).as(o.report().problems().toString()).isTrue();
      assertThat(o.report().conflicts()).isEmpty();
      assertThat(in(NS, "ip", "-o", "addr", "show", "dev", "kt-up"))
          .contains("inet 198.18.9.100/32").contains("inet 198.18.9.1/24");
      assertThat(in(NS, "ip", "-o", "addr", "show", "dev", "lo")).doesNotContain("198.18.9.100");
      assertThat(in(NS, "ip", "-o", "addr", "show")).doesNotContain("198.18.9.101");
      LvsNodeStateStatus s = published.get(published.size() - 1).get("vm-node");
      assertThat(s.owners()).anySatisfy(r -> {
        assertThat(r.owner()).isEqualTo("demo/vip");
        assertThat(r.programmed()).isTrue();
      });
      assertThat(s.owners()).anySatisfy(r -> {
        assertThat(r.owner()).isEqualTo("demo/lost");
        assertThat(r.programmed()).isFalse();
        assertThat(r.errors()).containsExactly("spec.addresses[1].interfaceOf: no interface holds 198.18.9.250");
      });
      // announced out of kt-up: the neighbour learned VIP -> kt-up's MAC without asking
      String link = in(NS, "ip", "-o", "link", "show", "dev", "kt-up");
      String mac = link.replaceAll("(?s).*link/ether ([0-9a-f:]{17}).*", "$1");
      String neigh = "";
      for (int i = 0; i < 50 && !neigh.contains(mac); i++) {
        Thread.sleep(100);
        neigh = in(PEER, "ip", "neigh", "show", "198.18.9.100");
      }
      assertThat(neigh).contains("198.18.9.100 dev kt-peer lladdr " + mac);

      // a second sync changes nothing; the last slice deleted: the VIP goes, the node IP stays
      assertThat(loop.syncNow().orElseThrow().report().plan().operations()).isEmpty();
      loop.onSlices(List.of(), Map.of());
      loop.syncNow();
      assertThat(in(NS, "ip", "-o", "addr", "show", "dev", "kt-up"))
          .doesNotContain("198.18.9.100").contains("inet 198.18.9.1/24");
      loop.close();
    } finally {
      exec.shutdownNow();
    }
  }

  static SyncLoop loop(NetlinkIpvsClient ipvs, NetlinkRtnlClient rtnl, Path stateDir,
      ScheduledExecutorService exec, List<Map<String, LvsNodeStateStatus>> published) {
    Applier applier = new Applier(ipvs, rtnl, new ProcSysctl(), new FileOwnershipStore(stateDir),
        new Differ(new ConnectionDrainer(Clock.systemUTC())));
    HealthChecker health = new HealthChecker(exec, t -> { }, () -> { });
    return new SyncLoop(applier, ipvs, rtnl, health, SnatProgrammer.NONE, s -> published.add(SliceStatus.buildAll(s)),
        new AgentMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), exec, Duration.ofMinutes(5));
  }
}
