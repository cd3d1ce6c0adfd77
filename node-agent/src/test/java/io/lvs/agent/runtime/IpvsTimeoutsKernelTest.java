package io.lvs.agent.runtime;

import static io.lvs.agent.kernellab.Oracle.in;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.ipvs.NetlinkIpvsClient;
import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.rtnl.NetlinkRtnlClient;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.NodeTimeouts;
import io.lvs.api.v1alpha1.TimeoutsReport;
import java.nio.file.Path;
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
 * ipvsadm --set through the agent's sync loop on a real kernel (kernel-lab VM, own network
 * namespace: IPVS timeouts are per namespace), read back with {@code ipvsadm -L --timeout}: the
 * node's timeouts are set, changed (a timeout no longer configured goes back to its original),
 * and when the configuration goes, a restarted agent restores the values the kernel had before
 * the agent's first write (non-default ones, set by hand first, so a restore to the kernel's
 * defaults would fail the test); afterwards a hand-made change is not the agent's to touch.
 */
@Tag("kernel")
class IpvsTimeoutsKernelTest {
  static final String NS = "kt-timeouts";

  @BeforeAll
  static void namespace() {
    Oracle.freshNetns(NS);
  }

  @AfterAll
  static void cleanup() {
    Oracle.deleteNetns(NS);
  }

  static String timeouts() {
    return in(NS, "ipvsadm", "-L", "--timeout").trim();
  }

  static NodeSlice slice(long generation, NodeTimeouts t) {
    return new NodeSlice("vm-node", generation,
        new LvsNodeStateSpec("vm-node", null, null, null, null, null, null, t));
  }

  @Test
  void setChangedAndTheOriginalsRestoredByARestartedAgent(@TempDir Path stateDir) throws Exception {
    in(NS, "ipvsadm", "--set", "1000", "100", "200"); // an administrator's values before the agent
    assertThat(timeouts()).isEqualTo("Timeout (tcp tcpfin udp): 1000 100 200");
    List<Map<String, LvsNodeStateStatus>> published = new CopyOnWriteArrayList<>();
    ScheduledExecutorService exec = Executors.newScheduledThreadPool(2);
    try (NetlinkIpvsClient ipvs = NetlinkIpvsClient.open(NS); NetlinkRtnlClient rtnl = NetlinkRtnlClient.open(NS)) {
      SyncLoop first = SyncLoopKernelTest.loop(ipvs, rtnl, stateDir, exec, published);
      first.onSlices(List.of(slice(1, new NodeTimeouts("directors", 600, null, 120))), Map.of());
      first.syncNow().orElseThrow();
      assertThat(timeouts()).isEqualTo("Timeout (tcp tcpfin udp): 600 100 120"); // tcpfin not configured: left
      assertThat(last(published)).isEqualTo(new TimeoutsReport("directors", true, 600, 100, 120, null));

      first.onSlices(List.of(slice(2, new NodeTimeouts("directors", 700, 60, null))), Map.of());
      first.syncNow().orElseThrow();
      assertThat(timeouts()).isEqualTo("Timeout (tcp tcpfin udp): 700 60 200"); // udp back to its original
      assertThat(last(published)).isEqualTo(new TimeoutsReport("directors", true, 700, 60, 200, null));
      first.close();

      // the agent restarts (new loop, same state directory) and meanwhile the configuration went
      int before = published.size();
      SyncLoop second = SyncLoopKernelTest.loop(ipvs, rtnl, stateDir, exec, published);
      second.onSlices(List.of(slice(3, null)), Map.of());
      second.syncNow().orElseThrow();
      assertThat(timeouts()).isEqualTo("Timeout (tcp tcpfin udp): 1000 100 200");
      // the sync that restored them reports it (onSlices' own sync may have been first); once
      // restored, nothing is configured or owed, so later syncs report nothing
      assertThat(published.subList(before, published.size())).extracting(m -> m.get("vm-node").timeouts())
          .contains(new TimeoutsReport(null, null, 1000, 100, 200, null)).endsWith((TimeoutsReport) null);

      // restored means no longer the agent's: a hand-made change stays
      in(NS, "ipvsadm", "--set", "0", "0", "333");
      second.syncNow().orElseThrow();
      assertThat(timeouts()).isEqualTo("Timeout (tcp tcpfin udp): 1000 100 333");
      second.close();
    } finally {
      exec.shutdownNow();
    }
  }

  private static TimeoutsReport last(List<Map<String, LvsNodeStateStatus>> published) {
    return published.get(published.size() - 1).get("vm-node").timeouts();
  }
}
