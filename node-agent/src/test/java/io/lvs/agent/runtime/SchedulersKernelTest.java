package io.lvs.agent.runtime;

import static io.lvs.agent.kernellab.Oracle.in;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.ipvs.NetlinkIpvsClient;
import io.lvs.agent.kernellab.IpvsadmListing;
import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.rtnl.NetlinkRtnlClient;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.OwnerReport;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.ServiceReport;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Every IPVS scheduler, one service each, programmed by the agent's sync loop on the kernel-lab
 * VM's kernel and read back with {@code ipvsadm -Ln}. The VM script loads each ip_vs_SCHED module
 * the kernel ships; one it does not ship (twos on Debian 12's 6.1) must fail for its own service
 * only, with a status error naming the scheduler, while every other service, and a service the
 * agent did not create, stays exactly as it was.
 */
@Tag("kernel")
class SchedulersKernelTest {
  static final String NS = "kt-scheds";
  static final List<String> SCHEDULERS =
      List.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "mh", "fo", "ovf", "twos");

  @BeforeAll
  static void namespace() {
    Oracle.freshNetns(NS);
  }

  @AfterAll
  static void cleanup() {
    Oracle.deleteNetns(NS);
  }

  static String owner(String scheduler) {
    return "sched/" + scheduler;
  }

  /** 198.18.3.1 for the first scheduler, .2 for the second ... */
  static String vip(String scheduler) {
    return "198.18.3." + (SCHEDULERS.indexOf(scheduler) + 1);
  }

  static LvsNodeStateSpec spec() {
    List<NodeIpvsService> services = new ArrayList<>();
    for (String s : SCHEDULERS) {
      services.add(new NodeIpvsService(owner(s), vip(s), 80, Protocol.TCP, null, null, s, null, null, null,
          List.of(new NodeDestination("198.18.3.101", 8080, 1, Forwarding.NAT, null, null, null, null),
              new NodeDestination("198.18.3.102", 8080, 2, Forwarding.NAT, null, null, null, null)),
          null));
    }
    return new LvsNodeStateSpec("vm-node", services, null, null, null, null);
  }

  /** Whether this kernel has the scheduler: its module is loaded, or (then it is a lab fault) shipped. */
  static boolean kernelHas(String scheduler) {
    if (Files.isDirectory(Path.of("/sys/module/ip_vs_" + scheduler))) {
      return true;
    }
    String release;
    try {
      release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    Path shipped = Path.of("/run/lab/kroot/lib/modules", release, "kernel/net/netfilter/ipvs/ip_vs_" + scheduler + ".ko");
    assertThat(shipped).as("the kernel ships ip_vs_%s but the lab did not load it", scheduler).doesNotExist();
    return false;
  }

  @Test
  void everySchedulerTheKernelHasIsProgrammedAndAMissingOneFailsAloneByName(@TempDir Path stateDir) {
    // an administrator's service; one shell for the three commands (each exec is slow under TCG)
    String foreign = in(NS, "sh", "-c", "ipvsadm -A -t 198.18.3.200:80 -s wlc"
        + " && ipvsadm -a -t 198.18.3.200:80 -r 198.18.3.101:80 -m -w 3 && ipvsadm -S -n");
    assertThat(foreign).contains("-a -t 198.18.3.200:80 -r 198.18.3.101:80 -m -w 3");
    List<String> has = SCHEDULERS.stream().filter(SchedulersKernelTest::kernelHas).toList();
    List<String> lacks = SCHEDULERS.stream().filter(s -> !has.contains(s)).toList();
    System.out.println(java.time.LocalTime.now() + " schedulers of this kernel: " + has + "; lacking: " + lacks);
    assertThat(has).as("the classic schedulers are always there").contains("rr", "wrr", "lc", "wlc", "sh", "dh");

    List<Map<String, LvsNodeStateStatus>> published = new CopyOnWriteArrayList<>();
    ScheduledExecutorService exec = Executors.newScheduledThreadPool(2);
    try (NetlinkIpvsClient ipvs = NetlinkIpvsClient.open(NS); NetlinkRtnlClient rtnl = NetlinkRtnlClient.open(NS)) {
      SyncLoop loop = SyncLoopKernelTest.loop(ipvs, rtnl, stateDir, exec, published);
      loop.onSlices(List.of(new NodeSlice("vm-node", 1, spec())), Map.of());
      loop.syncNow().orElseThrow();

      IpvsadmListing listed = IpvsadmListing.of(NS);
      for (String s : has) {
        IpvsadmListing.Service svc = listed.service("TCP " + vip(s) + ":80");
        assertThat(svc.scheduler()).as("scheduler of %s", vip(s)).isEqualTo(s);
        assertThat(svc.destinations()).as("destinations of the %s service", s)
            .containsExactlyInAnyOrder("198.18.3.101:8080 Masq 1", "198.18.3.102:8080 Masq 2");
      }
      assertThat(listed.services()).as("only the kernel's schedulers and the foreign service")
          .hasSize(has.size() + 1).containsKey("TCP 198.18.3.200:80");
      LvsNodeStateStatus status = published.get(published.size() - 1).get("vm-node");
      for (String s : has) {
        assertThat(owner(status, s).programmed()).as("%s programmed", s).isTrue();
        assertThat(owner(status, s).errors()).as("%s errors", s).isNull();
      }
      for (String s : lacks) {
        String refusal = "add service TCP " + vip(s) + ":80: ENOENT: no scheduler \"" + s + "\" in this kernel"
            + " (module ip_vs_" + s + " is neither loaded nor loadable)";
        assertThat(owner(status, s).programmed()).as("%s programmed", s).isFalse();
        assertThat(owner(status, s).errors()).as("%s errors", s).anySatisfy(e -> assertThat(e).contains(refusal));
        assertThat(service(status, "TCP " + vip(s) + ":80").error()).contains(refusal);
      }

      // the next sync retries only the refused service: the kernel's table is left exactly as it was
      String before = in(NS, "ipvsadm", "-S", "-n");
      SyncOutcome again = loop.syncNow().orElseThrow();
      assertThat(again.report().results()).allSatisfy(r -> assertThat(lacks).anyMatch(
          s -> r.operation().object().toString().contains(vip(s) + ":80")));
      assertThat(in(NS, "ipvsadm", "-S", "-n")).isEqualTo(before);

      // the slice goes: every service the agent made goes, the administrator's stays
      loop.onSlices(List.of(), Map.of());
      loop.syncNow();
      assertThat(in(NS, "ipvsadm", "-S", "-n")).isEqualTo(foreign);
      loop.close();
    } finally {
      exec.shutdownNow();
    }
  }

  static OwnerReport owner(LvsNodeStateStatus status, String scheduler) {
    return status.owners().stream().filter(o -> o.owner().equals(owner(scheduler))).findFirst()
        .orElseThrow(() -> new AssertionError("no status for owner " + owner(scheduler)));
  }

  static ServiceReport service(LvsNodeStateStatus status, String key) {
    return status.services().stream().filter(s -> s.service().equals(key)).findFirst()
        .orElseThrow(() -> new AssertionError("no status for service " + key));
  }
}
