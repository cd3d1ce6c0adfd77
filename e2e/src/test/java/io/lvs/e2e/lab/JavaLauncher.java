package io.lvs.e2e.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the product's entry points as separate JVMs, as the Helm chart's containers would:
 * {@code ip netns exec NODE java -cp CLASSPATH io.lvs.agent.AgentMain} with NODE_NAME set, one per
 * node, and one {@code io.lvs.operator.OperatorMain} in the root namespace. Small heaps and C1
 * only: up to eight JVMs share two emulated CPUs.
 */
public final class JavaLauncher {
  public static final String AGENT_MAIN = "io.lvs.agent.AgentMain";
  public static final String OPERATOR_MAIN = "io.lvs.operator.OperatorMain";
  public static final int AGENT_HTTP_PORT = 9720;
  public static final int OPERATOR_HTTP_PORT = 9710;

  private final String classpath;
  private final Path kubeconfig;
  private final Path logs;
  private final Path stateRoot;
  private final int resyncSeconds;
  private final Path agentClassArchive;

  public JavaLauncher(String classpath, Path kubeconfig, Path logs, Path stateRoot, int resyncSeconds) {
    this(classpath, kubeconfig, logs, stateRoot, resyncSeconds, null);
  }

  /**
   * {@code agentClassArchive}: a class-data-sharing archive of the agent's classes (see
   * {@link AgentClassTraining}), in the folder that also holds the training jar; null for none.
   */
  public JavaLauncher(String classpath, Path kubeconfig, Path logs, Path stateRoot, int resyncSeconds, Path agentClassArchive) {
    this.classpath = classpath;
    this.kubeconfig = kubeconfig;
    this.logs = logs;
    this.stateRoot = stateRoot;
    this.resyncSeconds = resyncSeconds;
    this.agentClassArchive = agentClassArchive;
  }

  /** The jar holding {@link AgentClassTraining}, beside the archive. */
  public static Path trainingJar(Path agentClassArchive) {
    return agentClassArchive.resolveSibling("agent-training.jar");
  }

  /**
   * The agent's class path: node-agent first, then the dependencies, without this module's class
   * folders (class-data sharing refuses folders; the agent needs none of them) or the operator
   * (whose logback.xml would take the agent's logging over), then the training jar. The training
   * run and the lab's agents use this same string, as an archive requires.
   */
  public String agentClasspath() {
    List<String> out = new ArrayList<>();
    for (String entry : ownModuleFirst("node-agent").split(":")) {
      if (!entry.contains("/e2e/target/") && !ofModule(entry, "operator")) {
        out.add(entry);
      }
    }
    if (agentClassArchive != null) {
      out.add(trainingJar(agentClassArchive).toString());
    }
    return String.join(":", out);
  }

  /** The agent's JVM command line with extra JVM flags (the training run adds the archive dump). */
  public List<String> agentJava(List<String> jvmFlags, String id, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>(java(mainClass, id, agentClasspath()));
    cmd.addAll(cmd.indexOf("-cp"), jvmFlags);
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * The classpath of this module's tests (target/test-classes, target/classes and the resolved
   * test-scope dependencies, which hold lvs-node-agent and lvs-operator), as written by Maven.
   */
  public static String moduleTestClasspath(Path moduleDir) {
    Path target = moduleDir.resolve("target");
    try {
      String deps = Files.readString(target.resolve("test-classpath.txt")).strip();
      return target.resolve("test-classes") + ":" + target.resolve("classes") + ":" + deps;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "no " + target.resolve("test-classpath.txt") + ": build with mvn -pl e2e -am process-test-classes", e);
    }
  }

  /** The agent of one node, in the node's namespace, its state directory its own. */
  public LabProcess agent(LabNode node) {
    try {
      Files.createDirectories(stateRoot.resolve(node.name()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> env = new HashMap<>();
    env.put("NODE_NAME", node.name());
    env.put("LVS_STATE_DIR", stateRoot.resolve(node.name()).toString());
    env.put("LVS_RESYNC_SECONDS", Integer.toString(resyncSeconds));
    env.put("LVS_HTTP_PORT", Integer.toString(AGENT_HTTP_PORT));
    // a Lease call from the emulated VM to the host often takes more than the default 400 ms (up
    // to ~0.5 s). Not 1 s: a standby learns of an API-server outage only when its own call fails,
    // and its word must reach the holder before renewDeadline + retryPeriod after the holder's last
    // renewal (1.5 s by default, that renewal up to ~0.5 s before the outage), or the holder fences
    // with no one able to take over (docs/ha.md, "API-server outage")
    env.put("LVS_HA_API_TIMEOUT_MILLIS", "700");
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", node.ns()));
    List<String> flags = agentClassArchive != null && Files.isRegularFile(agentClassArchive)
        ? List.of("-XX:SharedArchiveFile=" + agentClassArchive) : List.of();
    cmd.addAll(agentJava(flags, "agent-" + node.name(), AGENT_MAIN));
    return new LabProcess("agent/" + node.name(), cmd, withKubeconfig(env), logs.resolve("agent-" + node.name() + ".log"));
  }

  /** The operator, in the root namespace (it needs only the API server), serving HTTP on {@code httpPort}. */
  public LabProcess operator(int httpPort) {
    Map<String, String> env = new HashMap<>();
    env.put("LVS_HTTP_PORT", Integer.toString(httpPort));
    env.put("LVS_NAMESPACE", "lvs-system");
    env.put("LVS_LEADER_ELECTION", "true");
    return new LabProcess("operator", java(OPERATOR_MAIN, "operator", ownModuleFirst("operator")), withKubeconfig(env), logs.resolve("operator.log"));
  }

  private Map<String, String> withKubeconfig(Map<String, String> env) {
    env.put("KUBECONFIG", kubeconfig.toString());
    return env;
  }

  /** The shared classpath with the process's own module first, so its resources are the ones found. */
  private String ownModuleFirst(String module) {
    List<String> own = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String entry : classpath.split(":")) {
      (ofModule(entry, module) ? own : rest).add(entry);
    }
    own.addAll(rest);
    return String.join(":", own);
  }

  private static boolean ofModule(String classpathEntry, String module) {
    return classpathEntry.contains("/" + module + "/target/") || classpathEntry.contains("/lvs-" + module + "-");
  }

  private List<String> java(String mainClass, String id, String classpath) {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC",
        "-Xmx192m",
        "-XX:TieredStopAtLevel=1",
        "-Xss512k",
        "-Djava.io.tmpdir=/tmp",
        "-Dlvs.lab.process=" + id,
        // the operator's logback.xml and the agent's configurator share this classpath: logback's
        // status report about the one stepping aside would open every log
        "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
        "-cp",
        classpath,
        mainClass);
  }
}
