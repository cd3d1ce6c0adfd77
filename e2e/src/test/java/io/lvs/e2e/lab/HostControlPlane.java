package io.lvs.e2e.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * Runs the e2e suite with the control plane on the host: etcd, kube-apiserver 1.20.2 and the
 * operator start here at native speed (under the VM's software emulation the API server alone
 * needs two minutes to start), then the kernel-lab VM runs the scenarios with the node agents,
 * which must be in the VM because they program its kernel. QEMU forwards three loopback ports
 * into the VM (lab.sh LAB_HOST_PORTS): the API server, this class's control endpoint (the
 * scenarios stop and start the real API server through it) and the operator's /readyz; and, the
 * other way, one host address per node agent for the API server's pod proxy ({@link AgentProxy}).
 *
 * <pre>java -cp TEST_CLASSPATH io.lvs.e2e.lab.HostControlPlane E2E_MODULE_DIR [TAG]</pre>
 *
 * Exits with the VM run's exit code.
 */
public final class HostControlPlane {
  /** Loopback port of the control endpoint; in the VM at {@link #VM_HOST_ADDRESS}. */
  public static final int CONTROL_PORT = 16480;
  /** The operator's HTTP port on the host (its usual 9710 may be taken by another test run). */
  public static final int OPERATOR_HTTP_PORT = 19710;
  /** Where the VM sees the forwarded host ports (lab.sh's QEMU user network). */
  public static final String VM_HOST_ADDRESS = "198.19.255.100";
  /** The folder the host's API server writes its CA, kubeconfigs and token into (in the VM's RW dir). */
  public static final String DIR_PROPERTY = "lvs.e2e.hostControlPlane.dir";
  /** The agents' class-data-sharing archive, when the training run made one. */
  public static final String AGENT_ARCHIVE_PROPERTY = "lvs.e2e.agentClassArchive";

  private HostControlPlane() {}

  /**
   * Restarts the operator when it exits, as its Deployment would: an operator that cannot renew
   * its leader Lease (the API server down for longer than the Lease) steps down by exiting.
   */
  private static void supervise(LabProcess operator, Instant born, java.util.concurrent.atomic.AtomicBoolean stopping) {
    Thread t = new Thread(() -> {
      while (!stopping.get()) {
        if (!operator.isAlive() && !stopping.get()) {
          say(born, "host: the operator exited; restarting it, as its Deployment would (restart count in " + operator.log() + ")");
          operator.start();
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "operator-supervisor");
    t.setDaemon(true);
    t.start();
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: HostControlPlane E2E_MODULE_DIR [TAG]");
      System.exit(2);
    }
    Path module = Path.of(args[0]).toAbsolutePath().normalize();
    String tag = args.length > 1 ? args[1] : "e2e";
    Path binaries = Path.of(System.getProperty("lvs.e2e.kubeBinaries",
        System.getProperty("user.home") + "/.kubeapitest/k8s/1.20.2-linux-amd64"));
    Path logs = module.resolve("target/e2e-logs");
    Path dir = module.resolve("target/lab-host/apiserver");
    deleteTree(module.resolve("target/lab-host"));
    Files.createDirectories(logs);
    Instant born = Instant.now();

    say(born, "host: starting etcd and kube-apiserver 1.20.2 on 127.0.0.1:" + ApiServer.Listen.ON_HOST.port());
    ApiServer apiServer = new ApiServer(binaries, dir, logs, ApiServer.Listen.ON_HOST);
    // Maven or a person interrupting the run: no server left behind on the host
    java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<LabProcess> started = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean forwarding = new java.util.concurrent.atomic.AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      if (forwarding.get()) {
        AgentProxy.removeHostAddresses(Lab.NODES);
      }
      if (started.get() != null) {
        started.get().stop(Duration.ofSeconds(5));
      }
      apiServer.stop();
    }, "stop-control-plane"));
    LabProcess operator = null;
    HttpServer control = null;
    int rc;
    try {
      apiServer.start(Duration.ofSeconds(120));
      try (Kube kube = new Kube(apiServer.localKubeconfigFile())) {
        kube.installCrds(Lab.crdFiles(module));
        kube.createNamespaces();
      }
      say(born, "host: API server ready, CRDs installed; starting the operator (HTTP :" + OPERATOR_HTTP_PORT + ")");
      JavaLauncher launcher = new JavaLauncher(JavaLauncher.moduleTestClasspath(module), apiServer.localKubeconfigFile(),
          logs, module.resolve("target/lab-host/state"), Lab.RESYNC_SECONDS);
      operator = launcher.operator(OPERATOR_HTTP_PORT).start();
      started.set(operator);
      supervise(operator, born, stopping);
      control = controlEndpoint(apiServer);
      Path archive = module.resolve("target/lab-host/agent.jsa");
      say(born, "host: recording the agent's classes for the VM's JVMs (class-data sharing)");
      boolean archived = trainAgentClasses(module, apiServer, logs, archive);
      say(born, archived ? "host: agent class archive " + archive + " (" + Files.size(archive) / (1024 * 1024) + " MiB)"
          : "host: no agent class archive (see " + logs.resolve("agent-training.log") + "); agents start without it");
      Optional<String> noForwards = AgentProxy.addHostAddresses(Lab.NODES);
      forwarding.set(noForwards.isEmpty());
      say(born, noForwards.map(why -> "host: no agent forwards for the API server's pod proxy (kubectl lvs scenario skipped): " + why)
          .orElse("host: agent forwards for the API server's pod proxy: " + AgentProxy.qemuForwards(Lab.NODES)));
      say(born, "host: booting the kernel-lab VM for the tests tagged '" + tag + "'");
      rc = runVm(module, tag, dir, archived ? archive : null, forwarding.get());
    } finally {
      if (forwarding.get()) {
        AgentProxy.removeHostAddresses(Lab.NODES);
      }
      if (control != null) {
        control.stop(0);
      }
      stopping.set(true);
      if (operator != null) {
        operator.stop(Duration.ofSeconds(10));
      }
      apiServer.stop();
    }
    say(born, "host: VM run finished with exit code " + rc);
    System.exit(rc);
  }

  /**
   * Runs {@link AgentClassTraining} with {@code -XX:ArchiveClassesAtExit}: the classes of the
   * agent's start-up, for the VM's agents to map. False when no archive came out (the agents then
   * start without one, only slower).
   */
  private static boolean trainAgentClasses(Path module, ApiServer apiServer, Path logs, Path archive)
      throws IOException, InterruptedException {
    Path jar = JavaLauncher.trainingJar(archive);
    Path classes = module.resolve("target/test-classes");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar)); var files = Files.list(
        classes.resolve("io/lvs/e2e/lab"))) {
      for (Path c : files.filter(f -> f.getFileName().toString().startsWith(AgentClassTraining.class.getSimpleName())).toList()) {
        out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(c).toString()));
        out.write(Files.readAllBytes(c));
        out.closeEntry();
      }
    }
    Path state = module.resolve("target/lab-host/state/training");
    Files.createDirectories(state);
    JavaLauncher launcher = new JavaLauncher(JavaLauncher.moduleTestClasspath(module), apiServer.localKubeconfigFile(), logs,
        state, Lab.RESYNC_SECONDS, archive);
    ProcessBuilder pb = new ProcessBuilder(launcher.agentJava(List.of("-XX:ArchiveClassesAtExit=" + archive),
        "agent-training", AgentClassTraining.class.getName(), "8000"))
        .redirectErrorStream(true).redirectOutput(logs.resolve("agent-training.log").toFile());
    pb.environment().putAll(Map.of("NODE_NAME", "cds-training", "LVS_STATE_DIR", state.toString(),
        "LVS_HTTP_PORT", "19729", "LVS_RESYNC_SECONDS", "1", "KUBECONFIG", apiServer.localKubeconfigFile().toString()));
    Process p = pb.start();
    if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return false;
    }
    return p.exitValue() == 0 && Files.isRegularFile(archive);
  }

  private static int runVm(Path module, String tag, Path dir, Path archive, boolean agentForwards)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", module.resolve("kernel-lab/run-tests-in-vm.sh").toString(),
        module.toString(), tag));
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    Map<String, String> env = pb.environment();
    env.put("LAB_HOST_PORTS", ApiServer.Listen.ON_HOST.port() + " " + CONTROL_PORT + " " + OPERATOR_HTTP_PORT);
    if (agentForwards) {
      env.put("LAB_HOST_FORWARDS", AgentProxy.qemuForwards(Lab.NODES));
    }
    env.put("LAB_JAVA_OPTS", env.getOrDefault("LAB_JAVA_OPTS", "") + " -D" + DIR_PROPERTY + "=" + dir
        + (archive == null ? "" : " -D" + AGENT_ARCHIVE_PROPERTY + "=" + archive)
        + " -D" + AgentProxy.PROPERTY + "=" + agentForwards);
    return pb.start().waitFor();
  }

  /** POST /apiserver/stop and /apiserver/start (answers once ready), for the outage scenario. */
  private static HttpServer controlEndpoint(ApiServer apiServer) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", CONTROL_PORT), 0);
    server.setExecutor(Executors.newSingleThreadExecutor());
    server.createContext("/apiserver/stop", ex -> handle(ex, () -> apiServer.stopApiServer()));
    server.createContext("/apiserver/start", ex -> handle(ex, () -> apiServer.startApiServer(Duration.ofSeconds(120))));
    server.start();
    return server;
  }

  private static void handle(HttpExchange ex, Runnable action) throws IOException {
    int status;
    String body;
    if (!ex.getRequestMethod().equals("POST")) {
      status = 405;
      body = "POST only\n";
    } else {
      try {
        action.run();
        status = 200;
        body = "ok\n";
      } catch (RuntimeException e) {
        status = 500;
        body = e.getMessage() + "\n";
      }
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    // no kept-alive connection: the outage lasts 30 s, the server's idle timeout too, and a POST
    // on a connection it has just closed fails (the client does not retry a POST)
    ex.getResponseHeaders().add("Connection", "close");
    ex.sendResponseHeaders(status, bytes.length);
    try (var out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void say(Instant born, String line) {
    System.out.printf("lab [%6.1fs] %s%n", Duration.between(born, Instant.now()).toMillis() / 1000.0, line);
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
