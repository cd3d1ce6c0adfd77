package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real agent process (AgentMain: its Kubernetes client and informer, sync loop, health
 * checker, metrics endpoint) in its own namespace of the kernel-lab VM, started with the image's
 * JVM flags (read from the root pom's Jib configuration) and -XX:MaxRAM set to the chart's default
 * memory limit (read from helm-chart/values.yaml), as the container's limit would set it. It holds
 * N services x 10 destinations (-Dlvs.scale.services, default 10,000) from last-spec.json, the
 * path an agent restarted while the API server is unreachable takes: its client points at a
 * closed loopback port and keeps retrying, so the informer's cache is empty (in a cluster it would
 * hold the same slices once more). Then: hand-made damage (ipvsadm -e, -d, -D on owned objects)
 * must be repaired by the resync, and the resident set must stay under 80% of the limit.
 */
@Tag("benchmark")
class AgentProcessAtScaleKernelTest {
  static final int DESTS = 10;
  static final int RESYNC_SECONDS = 10;
  static final String NS = "agent-scale";

  /** -Dlvs.scale.services: the sizes, comma-separated (the benchmark run measures 1000,10000). */
  @Test
  void theAgentHoldsItsTableInsideItsMemoryLimitAndRepairsDrift() throws Exception {
    List<String> over = new ArrayList<>();
    for (String n : System.getProperty("lvs.scale.services", "10000").split(",")) {
      try {
        run(Integer.parseInt(n.strip()), !Boolean.getBoolean("lvs.scale.memoryOnly"));
      } catch (AssertionError e) {
        over.add(e.getMessage()); // every size is measured, then the failures are reported together
      }
    }
    assertThat(over).isEmpty();
  }

  /** With {@code drift}, hand-made damage is repaired (and a minute of CPU measured if asked); else a few resyncs only. */
  static void run(int services, boolean drift) throws Exception {
    Path root = AgentLimits.root();
    long limit = AgentLimits.memoryLimitBytes(root);
    String name = services + (drift ? "" : "-guard");
    Path state = Path.of("target", "agent-scale-" + name).toAbsolutePath();
    deleteTree(state);
    Files.createDirectories(state);
    Path kubeconfig = state.resolve("kubeconfig");
    String hostKubeconfig = System.getProperty(KUBECONFIG_PROPERTY);
    if (hostKubeconfig != null) {
      // the host's API server holds this node's slices (AgentScaleHost): the informer caches them
      Files.copy(Path.of(hostKubeconfig), kubeconfig);
    } else {
      // a closed loopback port: the client fails at once and retries with backoff; the table
      // comes from last-spec.json, the informer's cache stays empty
      new LastSpecStore(state).save(new LastSpecStore.Saved(slices(node(services), services)));
      Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1',"
          + " insecure-skip-tls-verify: true}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n"
          + "users: [{name: u, user: {token: t}}]\n");
    }
    if (hostKubeconfig != null) {
      // the forwarded API server port is reachable from the VM's own namespace only: the agent
      // runs there (a throwaway VM; the previous size's table is cleared first)
      Oracle.deleteNetns(NS);
      Oracle.run("ip", "netns", "attach", NS, "1");
      Oracle.in(NS, "ipvsadm", "-C");
    } else {
      Oracle.freshNetns(NS);
    }
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS, Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(AgentLimits.imageJvmFlags(root));
    cmd.add("-XX:MaxRAM=" + limit);
    String extra = System.getProperty("lvs.scale.jvmFlags", "").strip();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    if (Boolean.getBoolean("lvs.scale.nmt")) {
      cmd.add("-XX:NativeMemoryTracking=summary");
    }
    cmd.addAll(List.of("-cp", agentClasspath(), "io.lvs.agent.AgentMain"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(state.resolve("agent.log").toFile());
    pb.environment().putAll(java.util.Map.of("NODE_NAME", node(services), "LVS_STATE_DIR", state.toString(),
        "LVS_RESYNC_SECONDS", Integer.toString(RESYNC_SECONDS), "LVS_HTTP_PORT", "9720", "KUBECONFIG", kubeconfig.toString()));
    long started = System.nanoTime();
    Process agent = pb.start();
    AgentReport report = new AgentReport(services, limit, agent.pid(), state.resolve("agent.log"));
    report.line("- API server: " + (hostKubeconfig != null ? "the host's kube-apiserver 1.20.2 (informer holds the slices)"
        : "none (closed port; table from last-spec.json, informer cache empty)") + "; JVM flags: " + cmd.subList(4, cmd.indexOf("-cp")));
    try {
      awaitTable(agent, state, services * (DESTS + 1), Duration.ofMinutes(20));
      report.note("start -> table programmed", (System.nanoTime() - started) / 1e9, "s");
      report.memory("programmed");
      if (drift) {
        report.repairDrift(NS, RESYNC_SECONDS);
        if (Boolean.getBoolean("lvs.scale.cpuMinute")) {
          report.cpuMinute(NS);
        }
      } else {
        Thread.sleep(3L * RESYNC_SECONDS * 1000 + 30_000); // a few resyncs
      }
      report.memory("after resyncs");
      if (Boolean.getBoolean("lvs.scale.nmt")) {
        report.nmt();
      }
    } finally {
      agent.destroy();
      agent.waitFor(30, TimeUnit.SECONDS);
      agent.destroyForcibly();
      report.write(Path.of("target", "agent-process-at-scale-" + name + ".txt"));
      Oracle.deleteNetns(NS);
    }
    assertThat(report.peakBytes()).as("agent VmHWM (peak RSS) at %,d services x %d vs 80%% of the chart's limit %,d", services,
        DESTS, limit).isLessThanOrEqualTo((long) (0.8 * limit));
  }

  /** The property naming a kubeconfig that reaches the host's API server from the VM. */
  static final String KUBECONFIG_PROPERTY = "lvs.scale.kubeconfig";

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

  /** node-agent's classes and its dependencies, without the test classes (the agent's own logback.xml). */
  static String agentClasspath() throws Exception {
    Path target = Path.of("target").toAbsolutePath();
    return target.resolve("classes") + File.pathSeparator + Files.readString(target.resolve("test-classpath.txt")).strip();
  }

  /** Waits until /proc/net/ip_vs of the namespace lists {@code lines} services and destinations. */
  static void awaitTable(Process agent, Path state, int lines, Duration atMost) throws Exception {
    long end = System.nanoTime() + atMost.toNanos();
    Pattern row = Pattern.compile("^(TCP  |  -> [0-9A-F]{8})", Pattern.MULTILINE);
    while (System.nanoTime() < end) {
      if (!agent.isAlive()) {
        List<String> log = Files.readAllLines(state.resolve("agent.log"));
        throw new AssertionError("the agent exited (" + agent.exitValue() + "); its log ends:\n"
            + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())));
      }
      Matcher m = row.matcher(Oracle.in(NS, "cat", "/proc/net/ip_vs"));
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
