package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.apply.Applier;
import io.lvs.agent.kernellab.Oracle;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.Protocol;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real agent process (AgentMain: its Kubernetes client and informer, sync loop, health
 * checker, metrics endpoint) in its own namespace of the kernel-lab VM, started as the image
 * starts it ({@link AgentLaunch}). It holds N services x 10 destinations (-Dlvs.scale.services,
 * default 10,000) from last-spec.json or the host's API server (AgentScaleHost). Then: hand-made
 * damage (ipvsadm -e, -d, -D on owned objects) must be repaired by the resync, and the resident
 * set must stay under 80% of the chart's default limit.
 */
@Tag("benchmark")
class AgentProcessAtScaleKernelTest {
  static final int DESTS = 10;
  static final int RESYNC_SECONDS = 10;
  static final String NS = "agent-scale";

  /**
   * -Dlvs.scale.services: the sizes, comma-separated (the benchmark run measures 1000,10000).
   * -Dlvs.scale.variants: JVM flag variants run one after the other at each size, side by side in
   * one VM session: "name,flag,flag/name,flag" (no spaces: the VM's launcher splits its options on
   * them), each added after the image's flags (a later -Xmx or -XX:MaxRAM wins), e.g.
   * "chart/heap128,-Xmx128m/c1,-Xmx128m,-XX:TieredStopAtLevel=1".
   * -Dlvs.scale.jfr=PREFIX: a JFR recording (settings "profile": allocation and old-object samples)
   * from the agent's start to the end of the run, dumped to PREFIX-NAME.jfr (a path the host sees).
   * -Dlvs.scale.heapDump=PREFIX: a dump of the live heap after the resyncs, to PREFIX-NAME.hprof.
   * -Dlvs.scale.nmt=true: NMT's summary and the class histogram (-Dlvs.scale.histogramLines, 45) in the report.
   */
  @Test
  void theAgentHoldsItsTableInsideItsMemoryLimitAndRepairsDrift() throws Exception {
    List<String> over = new ArrayList<>();
    for (String n : System.getProperty("lvs.scale.services", "10000").split(",")) {
      for (String variant : System.getProperty("lvs.scale.variants", "").split("/")) {
        List<String> parts = variant.isBlank() ? List.of("") : List.of(variant.strip().split(","));
        try {
          run(Integer.parseInt(n.strip()), !Boolean.getBoolean("lvs.scale.memoryOnly"), parts.get(0),
              parts.subList(1, parts.size()));
        } catch (AssertionError e) {
          over.add(variant + ": " + e.getMessage()); // every size and variant is measured, then the failures reported together
        }
      }
    }
    assertThat(over).isEmpty();
  }

  /** At the image's flags plus -Dlvs.scale.jvmFlags (space-separated), as the guard runs it. */
  static void run(int services, boolean drift) throws Exception {
    String extra = System.getProperty("lvs.scale.jvmFlags", "").strip();
    run(services, drift, "", extra.isEmpty() ? List.of() : List.of(extra.split("\\s+")));
  }

  /** With {@code drift}, hand-made damage is repaired (and a minute of CPU measured if asked); else a few resyncs only. */
  static void run(int services, boolean drift, String variant, List<String> extraFlags) throws Exception {
    String name = services + (drift ? "" : "-guard") + (variant.isEmpty() ? "" : "-" + variant);
    AgentLaunch a = AgentLaunch.start(services, NS, name, extraFlags);
    AgentReport report = a.report();
    String jfr = System.getProperty("lvs.scale.jfr", "").strip();
    try {
      if (!jfr.isEmpty()) {
        report.jfrStart(); // from the start: the live set's old objects are sampled as they are made
      }
      awaitTable(a.agent(), a.state(), NS, services * (DESTS + 1), Duration.ofMinutes(20));
      report.note("start -> table programmed", (System.nanoTime() - a.startedNanos()) / 1e9, "s");
      report.memory("programmed");
      if (drift) {
        report.repairDrift(NS, RESYNC_SECONDS, a.fullReadEvery());
        if (Boolean.getBoolean("lvs.scale.cpuMinute")) {
          report.cpuMinute(NS);
        }
      } else {
        Thread.sleep(3L * RESYNC_SECONDS * 1000 + 30_000); // a few resyncs
      }
      report.memory("after resyncs");
      // after the measure (a scrape allocates): only the rolling share (and any service that differs) was dumped
      int share = Math.min(services, Math.max(Applier.RESYNC_MINIMUM_DEEP, (services + a.fullReadEvery() - 1) / a.fullReadEvery()));
      assertThat(report.resyncDumps(NS)).as("destination dumps of a resync in steady state").isBetween((long) share, share + 100L);
      report.collections();
      if (Boolean.getBoolean("lvs.scale.fullGc")) {
        report.fullGc();
      }
      report.syncTimes();
      report.threads();
      if (Boolean.getBoolean("lvs.scale.nmt")) {
        report.nmt();
      }
      if (!jfr.isEmpty()) {
        report.jfrDump(Path.of(jfr + "-" + name + ".jfr"));
      }
      String heapDump = System.getProperty("lvs.scale.heapDump", "").strip();
      if (!heapDump.isEmpty()) {
        report.heapDump(Path.of(heapDump + "-" + name + ".hprof"));
      }
    } finally {
      a.stop(name);
    }
    long limit = AgentLimits.memoryLimitBytes(AgentLimits.root());
    assertThat(report.peakBytes()).as("agent VmHWM (peak RSS) at %,d services x %d vs 80%% of the chart's limit %,d", services,
        DESTS, limit).isLessThanOrEqualTo((long) (0.8 * limit));
  }

  /** The property naming a kubeconfig that reaches the host's API server from the VM. */
  static final String KUBECONFIG_PROPERTY = AgentLaunch.KUBECONFIG_PROPERTY;

  static String node(int services) {
    return "scale-node-" + services;
  }

  static void deleteTree(Path p) throws java.io.IOException {
    if (Files.exists(p)) {
      try (var files = Files.walk(p)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  static List<NodeSlice> slices(String node, int services) {
    List<NodeSlice> out = new ArrayList<>();
    List<NodeIpvsService> part = new ArrayList<>();
    for (int i = 0; i < services; i++) {
      List<NodeDestination> ds = new ArrayList<>();
      for (int d = 0; d < DESTS; d++) {
        ds.add(new NodeDestination("198.19." + (i % 200) + "." + (1 + d), 80, 1 + d, Forwarding.DirectRouting, null, null,
            null, null));
      }
      part.add(new NodeIpvsService("bench/vs" + i, vip(i), 80, Protocol.TCP, null, null, "wrr", null, null, null, ds, null));
      if (part.size() == 256 || i == services - 1) {
        String name = out.isEmpty() ? node : node + "." + out.size();
        out.add(new NodeSlice(name, 1, new LvsNodeStateSpec(node, part, null, null, null, null)));
        part = new ArrayList<>();
      }
    }
    return out;
  }

  static String vip(int i) {
    return "198.18." + (i / 250) + "." + (1 + i % 250);
  }

  /**
   * The image's class path: node-agent's classes and its runtime dependencies, without the test
   * classes or test jars (an open jar holds its central directory on the heap).
   */
  static String agentClasspath() throws Exception {
    Path target = Path.of("target").toAbsolutePath();
    return target.resolve("classes") + File.pathSeparator + Files.readString(target.resolve("runtime-classpath.txt")).strip();
  }

  /** Waits until /proc/net/ip_vs of the namespace lists {@code lines} services and destinations. */
  static void awaitTable(Process agent, Path state, String ns, int lines, Duration atMost) throws Exception {
    long end = System.nanoTime() + atMost.toNanos();
    Pattern row = Pattern.compile("^(TCP  |  -> [0-9A-F]{8})", Pattern.MULTILINE);
    while (System.nanoTime() < end) {
      if (!agent.isAlive()) {
        List<String> log = Files.readAllLines(state.resolve("agent.log"));
        throw new AssertionError("the agent exited (" + agent.exitValue() + "); its log ends:\n"
            + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())));
      }
      Matcher m = row.matcher(Oracle.in(ns, "cat", "/proc/net/ip_vs"));
      int n = 0;
      while (m.find()) {
        n++;
      }
      if (n >= lines) {
        return;
      }
      Thread.sleep(5_000);
    }
    throw new AssertionError("the agent did not program " + lines + " objects in " + atMost);
  }

  static String fmt(String f, Object... a) {
    return String.format(Locale.ROOT, f, a);
  }
}
