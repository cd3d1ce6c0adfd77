package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.kernellab.Oracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures a running agent process from outside (its /proc entries, its metrics endpoint, its
 * log, ipvsadm in its namespace) and collects the figures for docs/benchmarks.md. Test helper.
 */
final class AgentReport {
  private final long pid;
  private final Path log;
  private final String ns;
  private final StringBuilder out = new StringBuilder();
  private long rss;
  private long peak;

  AgentReport(int services, long limit, long pid, Path log, String ns) throws IOException {
    this.pid = pid;
    this.log = log;
    this.ns = ns;
    out.append(String.format(Locale.ROOT, "agent process, %,d services x %d destinations, chart limit %d MiB, guest loadavg %s%n",
        services, AgentProcessAtScaleKernelTest.DESTS, limit >> 20, Files.readString(Path.of("/proc/loadavg")).strip()));
  }

  long rssBytes() {
    return rss;
  }

  /** VmHWM at the last {@link #memory}: the peak resident set, what a memory limit acts on. */
  long peakBytes() {
    return peak;
  }

  void line(String text) {
    out.append(text).append('\n');
  }

  void note(String what, double value, String unit) {
    out.append(String.format(Locale.ROOT, "- %s: %,.1f %s%n", what, value, unit));
  }

  void memory(String when) throws IOException {
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    out.append("- memory ").append(when).append(':');
    for (String key : List.of("VmRSS", "VmHWM", "RssAnon", "RssFile")) {
      long kib = kib(status, key);
      out.append(String.format(Locale.ROOT, " %s %.1f MiB", key, kib / 1024.0));
      if (key.equals("VmRSS")) {
        rss = kib << 10;
      } else if (key.equals("VmHWM")) {
        peak = kib << 10;
      }
    }
    out.append('\n');
  }

  private static long kib(String status, String key) {
    Matcher m = Pattern.compile("^" + key + ":\\s+([0-9]+) kB", Pattern.MULTILINE).matcher(status);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** ipvsadm -e, -d, -D on three owned services; waits until each is as before; returns seconds. */
  void repairDrift(String ns, int resyncSeconds, int fullReadEvery) throws Exception {
    // in steady state: the sync after programming (the first resync, a full read, the whole status) is not the one timed
    long programmed = syncs(ns);
    long steadyFrom = System.nanoTime();
    while (syncs(ns) < programmed + 2) {
      assertThat(System.nanoTime() - steadyFrom).as("two resyncs within 5 minutes").isLessThan(300_000_000_000L);
      Thread.sleep(2_000); // each look is a scrape of /metrics, 100,000 points at this size
    }
    String a = AgentProcessAtScaleKernelTest.vip(1) + ":80";
    String b = AgentProcessAtScaleKernelTest.vip(2) + ":80";
    String c = AgentProcessAtScaleKernelTest.vip(3) + ":80";
    String t = AgentProcessAtScaleKernelTest.vip(4) + ":80";
    String before = Oracle.in(ns, "ipvsadm", "-L", "-n", "-t", c);
    String foreign = "198.18.250.250:80";
    Oracle.in(ns, "ipvsadm", "-A", "-t", foreign, "-s", "rr");
    Oracle.in(ns, "ipvsadm", "-a", "-t", foreign, "-r", "198.19.250.1:80", "-g", "-w", "3");
    String foreignBefore = Oracle.in(ns, "ipvsadm", "-L", "-n", "-t", foreign);
    long syncsAtDamage = syncs(ns);
    Instant damageFrom = java.time.Instant.now(); // the agent's log is stamped by the same clock
    Oracle.in(ns, "ipvsadm", "-e", "-t", a, "-r", "198.19.1.1:80", "-g", "-w", "77");
    Oracle.in(ns, "ipvsadm", "-d", "-t", b, "-r", "198.19.2.2:80");
    Oracle.in(ns, "ipvsadm", "-D", "-t", c);
    // what /proc/net/ip_vs does not show: found by the rolling share of destination dumps
    Oracle.in(ns, "ipvsadm", "-e", "-t", t, "-r", "198.19.4.1:80", "-g", "-w", "1", "-x", "40", "-y", "20");
    long damaged = System.nanoTime();
    Instant damageTo = java.time.Instant.now();
    double took = 0;
    double thresholdTook = 0;
    long thresholdSyncs = 0;
    boolean thresholdSeen = false;
    while (took == 0 || thresholdTook == 0) {
      if (took == 0) {
        boolean weight = Oracle.in(ns, "ipvsadm", "-L", "-n", "-t", a).matches("(?s).*198\\.19\\.1\\.1:80\\s+Route\\s+1\\s.*");
        boolean dest = Oracle.in(ns, "ipvsadm", "-L", "-n", "-t", b).contains("198.19.2.2:80");
        Oracle.Result svc = Oracle.exec("ip", "netns", "exec", ns, "ipvsadm", "-L", "-n", "-t", c);
        if (weight && dest && svc.exit() == 0 && svc.stdout().equals(before)) {
          took = (System.nanoTime() - damaged) / 1e9;
        }
      }
      if (thresholdTook == 0) {
        String th = Oracle.in(ns, "ipvsadm", "-L", "-n", "--thresholds", "-t", t);
        thresholdSeen |= th.matches("(?s).*198\\.19\\.4\\.1:80\\s+40\\s+20\\s.*");
        if (th.matches("(?s).*198\\.19\\.4\\.1:80\\s+0\\s+0\\s.*")) {
          thresholdTook = (System.nanoTime() - damaged) / 1e9;
          thresholdSyncs = syncs(ns) - syncsAtDamage;
          assertThat(thresholdSeen || thresholdSyncs > 0).as("the threshold damage was made (seen, or repaired by a sync after it)")
              .isTrue();
        }
      }
      assertThat(System.nanoTime() - damaged).as("drift repaired within 10 minutes").isLessThan(600_000_000_000L);
      Thread.sleep(500);
    }
    Instant repairedAt = damageTo.plusNanos((long) (took * 1e9));
    Thread.sleep((resyncSeconds + 2) * 1000L); // at least one more resync over the foreign service
    assertThat(Oracle.in(ns, "ipvsadm", "-L", "-n", "-t", foreign)).as("a service the agent does not own, untouched")
        .isEqualTo(foreignBefore);
    Oracle.in(ns, "ipvsadm", "-D", "-t", foreign);
    note("hand-made damage (ipvsadm -e, -d, -D) in steady state -> repaired", took, "s");
    SyncLog.Bound bound = SyncLog.read(log).repairBound(damageFrom, damageTo, repairedAt, resyncSeconds * 1000L);
    line("- " + bound);
    line(String.format(Locale.ROOT, "- threshold damage (ipvsadm -e -x 40 -y 20) -> repaired: %.1f s, %d syncs ended meanwhile"
        + " (bound: the one running + %d resyncs of the rolling share)", thresholdTook, thresholdSyncs, fullReadEvery));
    // 3 when the damage lands inside a resync's read: the kernel's service dump is not atomic against a
    // hand edit (a deleted service moves its cursor, a later one is skipped), that resync's repair then
    // fails in part (EEXIST, ESRCH), and the sync after a failure reads everything
    assertThat(bound.syncs()).as("syncs ended between damage and repair: the one running at the damage, one that failed"
        + " in part if the damage raced its read, and the repairing one").isBetween(1, 3);
    assertThat(took).as("repair within the sync running at the damage + one interval + the repairing sync + 10 s")
        .isLessThanOrEqualTo(bound.seconds() + 10);
    assertThat(thresholdSyncs).as("threshold repaired within the sync running at the damage + %d resyncs", fullReadEvery)
        .isBetween(1L, fullReadEvery + 1L);
  }

  /** The last resync's destination dumps (lvs_agent_resync_destination_dumps), noted and returned. */
  long resyncDumps(String ns) {
    String metrics = Oracle.in(ns, "curl", "-s", "http://127.0.0.1:9720/metrics");
    Matcher m = Pattern.compile("(?m)^lvs_agent_resync_destination_dumps ([0-9.E]+)$").matcher(metrics);
    assertThat(m.find()).as("lvs_agent_resync_destination_dumps in the agent's metrics").isTrue();
    long dumps = (long) Double.parseDouble(m.group(1));
    note("destination dumps of the last resync", dumps, "");
    return dumps;
  }

  /** The agent's CPU over one minute of steady state, per resync, against ipvsadm -S -n's. */
  void cpuMinute(String ns) throws Exception {
    long syncs0 = syncs(ns);
    long cpu0 = cpuTicks();
    Thread.sleep(60_000);
    long cpu1 = cpuTicks();
    long syncs = syncs(ns) - syncs0;
    double agentMs = (cpu1 - cpu0) * 10.0;
    note("agent CPU over 60 s of steady state", agentMs, "ms");
    note("full syncs in that minute", syncs, "");
    double ipvsadm = 0;
    for (int i = 0; i < 3; i++) {
      String[] r = Oracle.in(ns, "sh", "-c", "ipvsadm -S -n >/dev/null; cat /proc/$$/stat").strip().split("\n");
      String[] f = r[r.length - 1].substring(r[r.length - 1].lastIndexOf(')') + 2).split(" ");
      ipvsadm += (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10.0 / 3;
    }
    note("ipvsadm -S -n CPU per run (mean of 3)", ipvsadm, "ms");
    note("agent CPU per resync / ipvsadm -S -n CPU per run", agentMs / Math.max(1, syncs) / ipvsadm, "");
  }

  private long cpuTicks() throws IOException {
    String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long syncs(String ns) {
    return (long) syncMetric(ns, "count");
  }

  /** lvs_agent_sync_seconds_{count,sum,max} of the successful syncs, from the agent's /metrics. */
  static double syncMetric(String ns, String which) {
    String metrics = Oracle.in(ns, "curl", "-s", "http://127.0.0.1:9720/metrics");
    Matcher m = Pattern.compile("lvs_agent_sync_seconds_" + which + "\\{result=\"ok\",?\\} ([0-9.E]+)").matcher(metrics);
    assertThat(m.find()).as("sync %s in the agent's metrics", which).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** The sync durations so far: count, mean and max (the first, programming sync, is usually the max). */
  void syncTimes() {
    try {
      double count = syncMetric(ns, "count");
      out.append(String.format(Locale.ROOT, "- syncs so far: %.0f, mean %.1f s, max %.1f s%n", count,
          syncMetric(ns, "sum") / Math.max(1, count), syncMetric(ns, "max")));
    } catch (AssertionError e) { // a figure, not the test's verdict: the scrape's failure is reported
      out.append("- syncs so far: /metrics scrape failed: ").append(e.getMessage()).append('\n');
    }
  }

  /**
   * The collections so far (young and full: count and seconds, from the JVM's perf counters) and
   * the process's CPU: what a tighter heap costs beside what it saves.
   */
  void collections() throws IOException {
    String counters = jcmd("PerfCounter.print");
    double hz = perfCounter(counters, "sun.os.hrt.frequency");
    out.append(String.format(Locale.ROOT,
        "- collections so far: young %.0f (%.1f s), full %.0f (%.1f s); process CPU %.1f s%n",
        perfCounter(counters, "sun.gc.collector.0.invocations"), perfCounter(counters, "sun.gc.collector.0.time") / hz,
        perfCounter(counters, "sun.gc.collector.1.invocations"), perfCounter(counters, "sun.gc.collector.1.time") / hz,
        cpuTicks() / 100.0));
  }

  private static double perfCounter(String text, String name) {
    Matcher m = Pattern.compile("^" + Pattern.quote(name) + "=([0-9]+)", Pattern.MULTILINE).matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** The agent's threads by name (digits folded), e.g. "agent-probe-# x4". */
  void threads() throws IOException {
    java.util.Map<String, Integer> byName = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        try {
          byName.merge(Files.readString(t.resolve("comm")).strip().replaceAll("[0-9]+", "#"), 1, Integer::sum);
        } catch (IOException gone) {
          // a thread that ended while listed
        }
      }
    }
    out.append("- threads: ").append(byName.values().stream().mapToInt(Integer::intValue).sum()).append(' ')
        .append(byName).append('\n');
  }

  /**
   * Asks the agent's JVM for a full collection (jcmd GC.run) and records the heap and the resident
   * set after it: what the process would hold if its collector gave back what the syncs grew.
   */
  void fullGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    Thread.sleep(2_000);
    memory("after a full GC (jcmd GC.run)");
    out.append("```\n").append(jcmd("GC.heap_info")).append("```\n");
  }

  void nmt() {
    out.append("```\n").append(jcmd("VM.native_memory", "summary"));
    jcmd("GC.class_histogram").lines().limit(Long.getLong("lvs.scale.histogramLines", 45)).forEach(l -> out.append(l).append('\n'));
    out.append("```\n");
  }

  /** Starts a JFR recording in the agent's JVM at the "profile" settings (old objects sampled with their allocation stacks). */
  void jfrStart() {
    out.append("- JFR: ").append(jcmd("JFR.start", "name=scale", "settings=profile").strip().replace('\n', ' ')).append('\n');
  }

  /** Dumps the recording jfrStart began, with the paths from sampled old objects to their GC roots. */
  void jfrDump(Path file) {
    out.append("- JFR: ").append(jcmd("JFR.dump", "name=scale", "path-to-gc-roots=true", "filename=" + file.toAbsolutePath())
        .strip().replace('\n', ' ')).append('\n');
  }

  /** A dump of the agent's live heap (HPROF, collected first), for reading who holds what. */
  void heapDump(Path file) {
    out.append("- heap dump: ").append(jcmd("GC.heap_dump", file.toAbsolutePath().toString()).strip().replace('\n', ' '))
        .append('\n');
  }

  /**
   * One diagnostic command to the agent's JVM; its output. jcmd's own JVM runs interpreted: under
   * the lab's emulation its JIT once crashed it (SIGSEGV in C1's code), failing a run it only reads.
   */
  private String jcmd(String... command) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        "-J-Xint", Long.toString(pid)));
    cmd.addAll(List.of(command));
    return Oracle.run(cmd.toArray(new String[0]));
  }

  void write(Path file) throws IOException {
    System.out.print(out);
    Files.createDirectories(file.getParent());
    Files.writeString(file, out.toString());
  }
}
