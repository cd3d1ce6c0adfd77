package io.lvs.e2e.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The whole kernel lab, built once per VM run and shared by every scenario: the bridge and node
 * namespaces, the real API server, Node objects, web servers on the real servers, the operator,
 * and one agent per node. Scenarios create their resources, assert on traffic and on the kernel,
 * and delete what they created.
 */
public final class Lab implements AutoCloseable {
  /** Label (value "true") of nodes that direct the lab's VirtualServices; as in docs/examples. */
  public static final String DIRECTOR_LABEL = "lvs.io/director";
  public static final String DIRECTOR_VALUE = "true";
  /**
   * Label (value "true") of the two hot-standby directors (dir1, dir2) of the HA scenarios: dir2
   * carries only this one, so every single-director scenario keeps dir1 alone.
   */
  public static final String HA_DIRECTOR_LABEL = "lvs.io/ha-director";
  /** Label (value "web") of nodes that serve the lab's web pool; as in docs/examples. */
  public static final String WEB_LABEL = "lvs.io/real-server";
  public static final String WEB_VALUE = "web";
  /** Short resync so drift repair is measured in seconds (the product's default is 10). */
  public static final int RESYNC_SECONDS = 5;

  /** The simulated nodes; the spare rs3 joins the pool in the scale scenario. */
  static final List<LabNode> NODES = List.of(
      new LabNode("dir1", "198.18.0.2", LabNode.Role.DIRECTOR,
          Map.of(DIRECTOR_LABEL, DIRECTOR_VALUE, HA_DIRECTOR_LABEL, DIRECTOR_VALUE)),
      new LabNode("dir2", "198.18.0.3", LabNode.Role.DIRECTOR, Map.of(HA_DIRECTOR_LABEL, DIRECTOR_VALUE)),
      new LabNode("rs1", "198.18.0.11", LabNode.Role.REAL_SERVER, Map.of(WEB_LABEL, WEB_VALUE)),
      new LabNode("rs2", "198.18.0.12", LabNode.Role.REAL_SERVER, Map.of(WEB_LABEL, WEB_VALUE)),
      new LabNode("rs3", "198.18.0.13", LabNode.Role.REAL_SERVER, Map.of()));

  private final Path moduleDir;
  private final Path work;
  private final Path logs;
  private final Consumer<String> progress;
  private final Instant born = Instant.now();
  private final Heartbeat heartbeat;
  private final LabNetwork network = new LabNetwork();
  private final List<LabNode> nodes = new ArrayList<>();
  private final Map<String, LabProcess> agents = new LinkedHashMap<>();
  private final ResultBook results = new ResultBook();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ControlPlane apiServer;
  /** Set when the control plane (API server, operator) runs on the host: see {@link HostControlPlane}. */
  private final Path hostControlPlaneDir =
      Optional.ofNullable(System.getProperty(HostControlPlane.DIR_PROPERTY)).map(Path::of).orElse(null);
  private Kube kube;
  private WebServers web;
  private JavaLauncher launcher;
  private LabProcess operator;
  private KernelSnapshot baseline;
  private final AgentProxy agentProxy = new AgentProxy();

  private Lab(Path moduleDir, Path work, Consumer<String> progress) {
    this.moduleDir = moduleDir;
    this.work = work;
    this.logs = moduleDir.resolve("target/e2e-logs");
    this.progress = progress;
    this.heartbeat = Heartbeat.start(Duration.ofSeconds(15), this::emit);
  }

  /**
   * Builds and starts everything. {@code binaries} holds kube-apiserver, etcd and kubectl;
   * {@code moduleDir} is the e2e module (its target/ holds the classpath and receives the logs).
   */
  public static Lab start(Path moduleDir, Path binaries, Consumer<String> progress) {
    Lab lab = startInfrastructure(moduleDir, binaries, progress);
    try {
      lab.startProduct();
    } catch (RuntimeException | Error e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  /** Everything but the product: network, API server with CRDs and nodes, web servers. */
  public static Lab startInfrastructure(Path moduleDir, Path binaries, Consumer<String> progress) {
    Lab lab = new Lab(moduleDir, Path.of("/tmp/lvs-e2e"), progress);
    try {
      lab.boot(binaries);
    } catch (RuntimeException | Error e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  private void boot(Path binaries) {
    try {
      Files.createDirectories(logs);
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    say("kernel " + Shell.ok("uname", "-r").strip() + "; building the network (bridge " + LabNetwork.BRIDGE + ", 198.18.0.0/24)");
    nodes.addAll(NODES);
    Map<String, String> hosts = new LinkedHashMap<>();
    nodes.forEach(n -> hosts.put(n.ns(), n.address()));
    network.create(hosts);
    network.routeRemoteClientsFrom(director().ns());
    say("namespaces: " + String.join(", ", network.namespaces()));

    if (hostControlPlaneDir != null) {
      say("API server and operator run on the host; relaying " + ApiServer.labUrl() + " to it");
      HostControlPlaneClient host = new HostControlPlaneClient(hostControlPlaneDir, binaries, logs);
      apiServer = host;
      heartbeat.during("the host's API server and operator", () -> host.start(Duration.ofSeconds(120)));
      kube = new Kube(apiServer.kubeconfigFile());
      say("API server ready (CRDs installed by the host); registering nodes");
    } else {
      say("starting etcd and kube-apiserver 1.20.2 on " + LabNetwork.GATEWAY + ":" + ApiServer.PORT);
      ApiServer local = new ApiServer(binaries, work.resolve("apiserver"), logs);
      apiServer = local;
      heartbeat.during("etcd and kube-apiserver to answer /readyz (the first start under emulation takes minutes)",
          () -> local.start(Duration.ofSeconds(600)));
      kube = new Kube(apiServer.kubeconfigFile());
      say("API server ready; installing CRDs and registering nodes");
      kube.installCrds(crdFiles(moduleDir));
      kube.createNamespaces();
    }
    for (LabNode n : nodes) {
      kube.registerNode(n);
    }

    web = new WebServers(work.resolve("www"), logs);
    heartbeat.during("the web servers on the real servers", () -> {
      for (LabNode n : realServers()) {
        web.start(n);
      }
      web.start(spare());
    });
    say("web servers answering on " + String.join(", ", web.nodes()));
    baseline = snapshot();
  }

  /** The CRDs the lab installs: the product's four and the test-only EndpointSlice v1. */
  static List<Path> crdFiles(Path moduleDir) {
    Path crds = moduleDir.resolveSibling("crds");
    return List.of(crds.resolve("virtualservices.lvs.io-v1.yml"), crds.resolve("realserverpools.lvs.io-v1.yml"),
        crds.resolve("lvsnodestates.lvs.io-v1.yml"), crds.resolve("lvsnodeconfigs.lvs.io-v1.yml"),
        moduleDir.resolveSibling("test-support/src/main/resources/" + io.lvs.testsupport.Crds.ENDPOINTSLICE_V1));
  }

  /** The product: the operator (unless the host runs it) and one agent per node, each a JVM, waited for until ready. */
  public void startProduct() {
    launcher = new JavaLauncher(JavaLauncher.moduleTestClasspath(moduleDir), apiServer.kubeconfigFile(), logs,
        work.resolve("agent-state"), RESYNC_SECONDS,
        Optional.ofNullable(System.getProperty(HostControlPlane.AGENT_ARCHIVE_PROPERTY)).map(Path::of).orElse(null));
    if (hostControlPlaneDir == null) {
      say("starting the operator and " + nodes.size() + " node agents (one JVM each)");
      operator = launcher.operator(JavaLauncher.OPERATOR_HTTP_PORT).start();
    } else {
      say("starting " + nodes.size() + " node agents (one JVM each; the operator runs on the host)");
    }
    for (LabNode n : nodes) {
      agents.put(n.name(), launcher.agent(n).start());
    }
    awaitReady("operator", operator, hostControlPlaneDir == null
        ? "http://127.0.0.1:" + JavaLauncher.OPERATOR_HTTP_PORT + "/readyz" : HostControlPlaneClient.operatorReadyUrl(),
        Duration.ofSeconds(600));
    for (LabNode n : nodes) {
      awaitAgentReady(n.name(), Duration.ofSeconds(600));
    }
    say("lab ready after " + ResultBook.seconds(Duration.between(born, Instant.now())));
  }

  /**
   * The agents' stand-in pods and the relays from the host's forwards to them, for kubectl lvs
   * (once per lab; only the scenario that uses them pays for them). False when the host made no
   * forwards ({@link AgentProxy#forwarded()}).
   */
  public synchronized boolean exposeAgentsToPodProxy() {
    if (!AgentProxy.forwarded()) {
      return false;
    }
    if (!agentProxy.started()) {
      say("agent pods in " + AgentProxy.NAMESPACE + " with the host's forwards as pod IPs (kubectl lvs's pod proxy path)");
      agentProxy.start(kube.client(), nodes, logs);
    }
    return true;
  }

  public void say(String line) {
    heartbeat.said(Instant.now());
    emit(line);
  }

  private void emit(String line) {
    progress.accept(String.format("lab [%6.1fs] %s", Duration.between(born, Instant.now()).toMillis() / 1000.0, line));
  }

  /** Runs {@code work}, naming {@code what} in a progress line every 15 s meanwhile. */
  public <T> T waitingFor(String what, Supplier<T> work) {
    return heartbeat.during(what, work);
  }

  public LabNode director() {
    return nodes.stream().filter(n -> n.role() == LabNode.Role.DIRECTOR).findFirst().orElseThrow();
  }

  /** Both directors carrying the HA label (dir1, dir2). */
  public List<LabNode> haDirectors() {
    return nodes.stream().filter(n -> n.labels().containsKey(HA_DIRECTOR_LABEL)).toList();
  }

  /** The real servers in the web pool from the start (rs1, rs2). */
  public List<LabNode> realServers() {
    return nodes.stream().filter(n -> n.role() == LabNode.Role.REAL_SERVER && n.labels().containsKey(WEB_LABEL)).toList();
  }

  /** The real server outside the pool until a scenario adds it (rs3). */
  public LabNode spare() {
    return node("rs3");
  }

  public LabNode node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  public List<LabNode> nodes() {
    return List.copyOf(nodes);
  }

  public Kube kube() {
    return kube;
  }

  public ControlPlane apiServer() {
    return apiServer;
  }

  public LabNetwork network() {
    return network;
  }

  public WebServers web() {
    return web;
  }

  public ResultBook results() {
    return results;
  }

  public LabProcess agent(String node) {
    return agents.get(node);
  }

  public LabProcess operator() {
    return operator;
  }

  public Path logs() {
    return logs;
  }

  public Path moduleDir() {
    return moduleDir;
  }

  /** The kernel of every node and the client before any product process ran. */
  public KernelSnapshot baseline() {
    return baseline;
  }

  public KernelSnapshot snapshot() {
    List<String> ns = new ArrayList<>(network.namespaces());
    return KernelSnapshot.take(ns);
  }

  public void awaitAgentReady(String node, Duration timeout) {
    awaitReady("agent/" + node, agents.get(node), "http://" + node(node).address() + ":" + JavaLauncher.AGENT_HTTP_PORT + "/readyz", timeout);
  }

  /** Polls until the condition holds; returns how long it took, or fails naming what was awaited. */
  public Duration await(String what, Duration timeout, BooleanSupplier condition) {
    return await(what, timeout, condition, () -> "--- ipvsadm -Ln on " + director().name() + ":\n"
        + Shell.inNs(director().ns(), "ipvsadm", "-Ln").stdout());
  }

  /** As {@link #await(String, Duration, BooleanSupplier)}, with what to show when it times out. */
  public Duration await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> detail) {
    return heartbeat.during(what, () -> poll(what, timeout, condition, detail));
  }

  private Duration poll(String what, Duration timeout, BooleanSupplier condition, Supplier<String> detail) {
    Instant start = Instant.now();
    Instant deadline = start.plus(timeout);
    RuntimeException last = null;
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return Duration.between(start, Instant.now());
        }
      } catch (RuntimeException e) {
        last = e;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + timeout + ": " + what
            + (last == null ? "" : " (last error: " + last.getMessage() + ")") + "\n" + detail.get(), last);
      }
      // each poll starts processes; a slower poll leaves the emulated CPUs to the product
      ApiServer.sleep(Duration.ofMillis(250));
    }
  }

  private void awaitReady(String name, LabProcess p, String url, Duration timeout) {
    heartbeat.during(name + " to answer " + url + (p == null ? "" : " (log: " + p.log() + ")"), () -> pollReady(name, p, url, timeout));
  }

  private void pollReady(String name, LabProcess p, String url, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      if (p != null && !p.isAlive()) {
        throw new IllegalStateException(name + " exited during start-up; its log ends:\n" + p.tail(40));
      }
      if (httpOk(url)) {
        say(name + " ready");
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(name + " not ready at " + url + " after " + timeout
            + (p == null ? "" : "; its log ends:\n" + p.tail(40)));
      }
      ApiServer.sleep(Duration.ofMillis(250));
    }
  }

  /** Lets time pass (resyncs, traffic) without polling anything. */
  public static void pause(Duration d) {
    ApiServer.sleep(d);
  }

  public boolean httpOk(String url) {
    try {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    heartbeat.close();
    agentProxy.close();
    agents.values().forEach(a -> a.stop(Duration.ofSeconds(5)));
    if (operator != null) {
      operator.stop(Duration.ofSeconds(5));
    }
    if (web != null) {
      web.stopAll();
    }
    if (kube != null) {
      kube.close();
    }
    if (apiServer != null) {
      apiServer.close();
    }
  }
}
