package io.lvs.agent.apply;

import static io.lvs.agent.apply.IncrementalChangeBenchmark.state;
import static io.lvs.agent.apply.IncrementalChangeKernelBenchmark.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.DesiredDestination;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.diff.Differ;
import io.lvs.agent.ipvs.NetlinkIpvsClient;
import io.lvs.agent.ipvs.PreEncoded;
import io.lvs.agent.kernellab.BenchTable;
import io.lvs.agent.kernellab.Oracle;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.ownership.FileOwnershipStore;
import io.lvs.agent.ownership.OwnedSet;
import io.lvs.agent.rtnl.NetlinkRtnlClient;
import io.lvs.agent.sysctl.ProcSysctl;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The agent's dataplane at scale on the real kernel (kernel-lab VM): N services x 10 destinations
 * (-Dbench.services, default 10,000) programmed by the Applier, then, over {@link #ROUNDS} rounds
 * each: the resync as the sync loop runs it, its parts, {@code ipvsadm -S -n} at the same table
 * and its process start-up alone, and the ownership file's save. CPU is this process's (or the
 * child's) user + system time, so the kernel's work for the dumps is included. Every round's table
 * is read back with ipvsadm. Writes target/benchmark-scale.txt.
 */
@Tag("benchmark")
class ScaleKernelBenchmark {
  static final int DESTS = 10;
  static final int ROUNDS = 7;

  @Test
  void resyncAndStateFileAtScale() throws Exception {
    int services = Integer.getInteger("bench.services", 10_000);
    String ns = "bench-scale";
    String empty = "bench-scale-empty";
    Oracle.freshNetns(ns);
    Oracle.freshNetns(empty);
    Path stateDir = Files.createTempDirectory("lvs-bench-scale");
    BenchTable out = new BenchTable(services, DESTS);
    try (NetlinkIpvsClient ipvs = NetlinkIpvsClient.open(ns); NetlinkRtnlClient rtnl = NetlinkRtnlClient.open(ns);
        PreEncoded floor = new PreEncoded(ns)) {
      FileOwnershipStore store = new FileOwnershipStore(stateDir);
      Applier applier = new Applier(ipvs, rtnl, new ProcSysctl(), store, new Differ());
      DesiredState desired = state(table(services));
      long t0 = System.nanoTime();
      ApplyReport programmed = applier.apply(desired);
      out.note("program from empty", (System.nanoTime() - t0) / 1e6);
      assertThat(programmed.fullySucceeded()).isTrue();
      assertThat(programmed.kernelOperations()).isEqualTo(services * (DESTS + 1L));
      String expected = readBack(ns, services);
      out.memory();

      int resyncsOnly = Integer.getInteger("bench.resyncsOnly", 0); // for a profiler: nothing else runs
      List<ServiceKey> share = new ArrayList<>(desired.services().keySet()).subList(0, services / 8);
      List<ByteBuffer> reads = floor.tableRead(new ArrayList<>(desired.services().keySet()));
      // LVS_RESYNC_FULL_READ_EVERY=1: every service dumped on every resync (its first call reads everything)
      Applier everyResync = resyncsOnly > 0 ? new Applier(ipvs, rtnl, new ProcSysctl(), store, new Differ(), 0, 1) : null;
      if (everyResync != null) {
        assertThat(everyResync.apply(desired).plan().isEmpty()).isTrue();
      }
      for (int r = 0; r < resyncsOnly; r++) {
        out.time(RESYNC, () -> assertThat(applier.resync(desired).plan().isEmpty()).isTrue());
        out.time("  part: service dump", () -> assertThat(ipvs.dumpServices()).hasSize(services));
        out.time("  part: text table read and parsed", () -> assertThat(ipvs.textTable().get()).hasSize(services));
        out.child("  part: cat /proc/net/ip_vs (process)", ns, "cat /proc/net/ip_vs");
        out.time("  part: destination dumps of an eighth", () -> share.forEach(ipvs::dumpDestinations));
        out.time(RESYNC_EVERY, () -> assertThat(everyResync.resync(desired).plan().isEmpty()).isTrue());
        // what a resync that read every service's destinations would cost at least, decoded and not
        out.time("  beside: every service's destinations dumped and decoded", () -> assertThat(ipvs.dump()).hasSize(services));
        out.time("  beside: " + FLOOR, () -> assertThat(floor.runDumps(reads)).isEqualTo(services * (DESTS + 1)));
        System.gc(); // the decoded dump's garbage is not left for the next round's resync to collect
        out.child(IPVSADM, ns, "ipvsadm -S -n");
      }
      for (int r = 0; r < (resyncsOnly > 0 ? 0 : ROUNDS); r++) {
        out.time(OLD_RESYNC, () -> {
          assertThat(applier.apply(desired).plan().isEmpty()).isTrue();
          assertThat(ipvs.dump()).hasSize(services);
        });
        out.time(FULL, () ->
            assertThat(applier.apply(desired).plan().isEmpty()).isTrue());
        out.time(RESYNC, () ->
            assertThat(applier.resync(desired).plan().isEmpty()).isTrue());
        out.note("  destination dumps of that resync", applier.lastResyncDumps());
        out.time("  of which ipvs.dump (status read-back)", () -> assertThat(ipvs.dump()).hasSize(services));
        out.time(FLOOR, () -> assertThat(floor.runDumps(reads)).isEqualTo(services * (DESTS + 1)));
        out.child(IPVSADM, ns, "ipvsadm -S -n");
        out.child("ipvsadm -S -n start-up alone (empty table)", empty, "ipvsadm -S -n");
        OwnedSet owned = applier.owned();
        Path fresh = Files.createTempDirectory("lvs-bench-snapshot");
        out.time(SNAPSHOT, () -> new FileOwnershipStore(fresh).save(owned));
        if (r == 0) {
          out.note("owned.json bytes (snapshot, compact JSON)", Files.size(fresh.resolve(FileOwnershipStore.FILE_NAME)));
        }
        ServiceKey first = owned.services().keySet().iterator().next();
        OwnedSet plusOne = owned.toBuilder().destination(first, new DestinationKey(ip(198, 19, 255, 1 + r), 80)).build();
        long journal = Files.exists(store.journalFile()) ? Files.size(store.journalFile()) : 0;
        out.time(APPEND, () -> store.save(plusOne));
        if (r == 0) {
          out.note("journal bytes for that change", Files.size(store.journalFile()) - journal);
        }
        store.save(owned);
        assertThat(readBack(ns, services)).isEqualTo(expected);
      }
    } finally {
      Oracle.deleteNetns(ns);
      Oracle.deleteNetns(empty);
    }
    if (Integer.getInteger("bench.resyncsOnly", 0) > 0) {
      out.ratio("resync CPU / ipvsadm -S -n CPU (medians)", out.median(RESYNC, 1) / out.median(IPVSADM, 1));
      out.ratio("resync, full read every resync, CPU / ipvsadm -S -n CPU (medians)",
          out.median(RESYNC_EVERY, 1) / out.median(IPVSADM, 1));
      out.write(Path.of("target", "benchmark-scale.txt"));
      return;
    }
    out.ratio("resync CPU / ipvsadm -S -n CPU (medians)", out.median(RESYNC, 1) / out.median(IPVSADM, 1));
    out.ratio("full read CPU / ipvsadm -S -n CPU (medians)", out.median(FULL, 1) / out.median(IPVSADM, 1));
    out.ratio("before CPU / ipvsadm -S -n CPU (medians)", out.median(OLD_RESYNC, 1) / out.median(IPVSADM, 1));
    out.ratio("full read CPU / floor CPU (medians)", out.median(FULL, 1) / out.median(FLOOR, 1));
    out.ratio("resync CPU / floor CPU (medians)", out.median(RESYNC, 1) / out.median(FLOOR, 1));
    out.write(Path.of("target", "benchmark-scale.txt"));
  }

  static final String OLD_RESYNC = "before: resync as SyncLoop ran it (Applier.apply, then ipvs.dump for the status)";
  static final String FULL = "full read: Applier.apply (every service dumped + diff, nothing to change)";
  static final String RESYNC = "resync: Applier.resync (service dump + /proc/net/ip_vs + rolling dumps + diff)";
  static final String RESYNC_EVERY = "  resync with LVS_RESYNC_FULL_READ_EVERY=1 (service dump + every service's destinations + diff)";
  static final String FLOOR = "floor: the same table read, requests pre-encoded, answers not decoded";
  static final String IPVSADM = "ipvsadm -S -n (process)";
  static final String SNAPSHOT = "owned set written whole (what every save did before; now the compaction)";
  static final String APPEND = "owned set: one destination added (journal append + fsync)";

  /** The table read back by ipvsadm; one line per service and destination. */
  static String readBack(String ns, int services) {
    String s = Oracle.in(ns, "ipvsadm", "-S", "-n");
    assertThat(s.lines().count()).isEqualTo(services * (DESTS + 1L));
    return s;
  }

  static Map<ServiceKey, DesiredService> table(int services) {
    Map<ServiceKey, DesiredService> table = new LinkedHashMap<>();
    for (int i = 0; i < services; i++) {
      ServiceKey key = ServiceKey.of(IpProtocol.TCP, ip(198, 18, i / 250, 1 + i % 250), 80);
      List<DesiredDestination> ds = new ArrayList<>();
      for (int d = 0; d < DESTS; d++) {
        ds.add(DesiredDestination.of(
            Destination.of(new DestinationKey(ip(198, 19, i % 200, 1 + d), 80), ForwardMethod.DROUTE, 1 + d)));
      }
      table.put(key, DesiredService.of("bench/vs" + i, new IpvsService(key, "wrr", 0, 0, 0), ds));
    }
    return table;
  }

  static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }
}
