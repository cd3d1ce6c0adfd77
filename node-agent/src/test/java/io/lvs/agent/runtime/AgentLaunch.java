package io.lvs.agent.runtime;

import io.lvs.agent.kernellab.Oracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the real agent process (AgentMain) in a network namespace of the kernel-lab VM with the
 * image's JVM flags (read from node-agent's Jib configuration) and -XX:MaxRAM at the chart's default
 * memory limit, as a container's limit would set it. Test helper of the process-level kernel tests.
 */
record AgentLaunch(Process agent, Path state, String ns, AgentReport report, long startedNanos, List<String> flags,
    int fullReadEvery) {

  /** The property naming a kubeconfig that reaches the host's API server from the VM. */
  static final String KUBECONFIG_PROPERTY = "lvs.scale.kubeconfig";

  /**
   * Without a host kubeconfig, the client points at a closed loopback port and keeps retrying; the
   * table comes from last-spec.json (the path of an agent restarted while the API server is
   * unreachable) and the informer's cache stays empty.
   */
  static AgentLaunch start(int services, String ns, String name, List<String> extraFlags) throws Exception {
    Path root = AgentLimits.root();
    long limit = AgentLimits.memoryLimitBytes(root);
    Path state = Path.of("target", "agent-scale-" + name).toAbsolutePath();
    AgentProcessAtScaleKernelTest.deleteTree(state);
    Files.createDirectories(state);
    Path kubeconfig = state.resolve("kubeconfig");
    String hostKubeconfig = System.getProperty(KUBECONFIG_PROPERTY);
    if (hostKubeconfig != null) {
      // the forwarded API server port is reachable from the VM's own namespace only: the agent
      // runs there (a throwaway VM; the previous size's table is cleared first)
      Files.copy(Path.of(hostKubeconfig), kubeconfig);
      Oracle.deleteNetns(ns);
      Oracle.run("ip", "netns", "attach", ns, "1");
      if (!Oracle.in(ns, "ipvsadm", "-S", "-n").isBlank()) {
        Oracle.in(ns, "ipvsadm", "-C");
        // the kernel keeps deleted destinations for IP_VS_DEST_TRASH_PERIOD (120 s) and looks each
        // added one up in that list first: programming at once is much slower (docs/benchmarks.md)
        System.out.println("agent-scale: previous table cleared; waiting 200 s for the kernel's destination trash");
        Thread.sleep(200_000);
      }
    } else {
      new LastSpecStore(state).save(new LastSpecStore.Saved(AgentProcessAtScaleKernelTest.slices(
          AgentProcessAtScaleKernelTest.node(services), services)));
      Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1',"
          + " insecure-skip-tls-verify: true}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n"
          + "users: [{name: u, user: {token: t}}]\n");
      Oracle.freshNetns(ns);
    }
    List<String> flags = new ArrayList<>(AgentLimits.imageJvmFlags(root));
    flags.add("-XX:MaxRAM=" + limit);
    Map<String, String> env = new java.util.TreeMap<>(AgentLimits.imageEnvironment(root));
    for (String f : extraFlags) {
      if (f.startsWith("env:")) { // a variant's environment, e.g. env:MALLOC_ARENA_MAX=2
        env.put(f.substring(4, f.indexOf('=')), f.substring(f.indexOf('=') + 1));
      } else {
        flags.add(f);
      }
    }
    if (Boolean.getBoolean("lvs.scale.nmt")) {
      flags.add("-XX:NativeMemoryTracking=summary");
    }
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(flags);
    cmd.addAll(List.of("-cp", AgentProcessAtScaleKernelTest.agentClasspath(), "io.lvs.agent.AgentMain"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(state.resolve("agent.log").toFile());
    pb.environment().putAll(Map.of("NODE_NAME", AgentProcessAtScaleKernelTest.node(services), "LVS_STATE_DIR", state.toString(),
        "LVS_RESYNC_SECONDS", Integer.toString(AgentProcessAtScaleKernelTest.RESYNC_SECONDS), "LVS_HTTP_PORT", "9720",
        "KUBECONFIG", kubeconfig.toString()));
    pb.environment().putAll(env);
    long started = System.nanoTime();
    Process agent = pb.start();
    AgentReport report = new AgentReport(services, limit, agent.pid(), state.resolve("agent.log"), ns);
    report.line("- " + name + "; API server: " + (hostKubeconfig != null
        ? "the host's kube-apiserver 1.20.2 (informer holds the slices)"
        : "none (closed port; table from last-spec.json, informer cache empty)") + "; JVM flags: " + flags
        + "; environment: " + env);
    int fullReadEvery = Integer.parseInt(pb.environment().getOrDefault("LVS_RESYNC_FULL_READ_EVERY",
        Integer.toString(AgentConfig.DEFAULT_FULL_READ_EVERY)));
    return new AgentLaunch(agent, state, ns, report, started, flags, fullReadEvery);
  }

  /** Ends the agent, writes its report to target/agent-process-at-scale-NAME.txt, drops the namespace. */
  void stop(String name) throws Exception {
    agent.destroy();
    agent.waitFor(30, TimeUnit.SECONDS);
    agent.destroyForcibly();
    report.write(Path.of("target", "agent-process-at-scale-" + name + ".txt"));
    Oracle.deleteNetns(ns);
  }
}
