package io.lvs.e2e.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.e2e.chart.ProjectFiles;
import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./lvs-lab cluster-demo}, on the host: a real two-node Kubernetes 1.20.2 cluster in the
 * kernel lab (e2e/k8s-cluster/), the chart installed with Helm as docs/operations.md says, NAT with
 * a Deployment's pods as real servers, then what happened: {@code kubectl get lvs}, the pods, the
 * director node's {@code ipvsadm -Ln} and which pod answered each request from a client outside
 * the cluster. {@code --keep} leaves the cluster running for the reader's own kubectl.
 */
public final class ClusterDemoMain {
  private static final int REQUESTS = 12;
  private static final java.time.format.DateTimeFormatter CLOCK = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

  private ClusterDemoMain() {}

  public static void main(String[] args) {
    boolean keep = List.of(args).contains("--keep");
    ProjectFiles files = ProjectFiles.locate();
    ClusterLane lane = ClusterLane.of(files.root());
    boolean ok = false;
    try {
      step("cluster: control plane on this host, two kubelets (director, realserver) in the kernel-lab VM"
          + " (e2e/k8s-cluster/cluster.sh up; ~1.5 min after the one-time preparation)", lane::up);
      try (KubernetesClient kube = lane.client()) {
        ok = run(lane, kube, files);
      }
    } catch (RuntimeException | AssertionError e) {
      say("FAILED: " + e.getMessage().lines().findFirst().orElse(""));
    } finally {
      if (keep) {
        say("the cluster keeps running: " + lane.run().resolve("kubectl.sh") + " get lvs -A;  stop it with: bash "
            + files.root().relativize(files.root().resolve("e2e/k8s-cluster/cluster.sh")) + " down " + lane.run());
      } else {
        step("stop the cluster (cluster.sh down; --keep leaves it running)", lane::down);
      }
    }
    System.exit(ok ? 0 : 1);
  }

  private static boolean run(ClusterLane lane, KubernetesClient kube, ProjectFiles files) {
    step("real servers: Deployment web (2 busybox httpd pods) and Service web", () -> ChartOnCluster.applyWeb(kube));
    step("helm install lvs ./helm-chart -n lvs-system --create-namespace -f e2e/k8s-cluster/values-lab.yaml;"
        + " kubectl label namespace lvs-system pod-security.kubernetes.io/enforce=privileged (agents and operator"
        + " JVMs start under emulation: ~5 min)", () -> ChartOnCluster.install(lane, kube, files));
    String nat = resource("/cluster/nat.yaml");
    say("applying a NAT VirtualService whose RealServerPool is the web Service (serviceRef):");
    System.out.println(nat.strip().indent(4));
    step("the operator resolves the EndpointSlices, the director's agent programs IPVS (~3 min)", () -> {
      kube.load(new java.io.ByteArrayInputStream(nat.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .inNamespace("default").serverSideApply();
      ChartOnCluster.awaitIpvsHoldsThePods(lane, kube, 2);
      ChartOnCluster.awaitReady(kube, "web-nat");
    });

    section("kubectl get lvs -A -o wide");
    System.out.println(kubectl(lane, "get", "lvs", "-A", "-o", "wide"));
    section("kubectl get pods -A -o wide   (the operator Deployment, the agent DaemonSet, the real servers)");
    System.out.println(kubectl(lane, "get", "pods", "-A", "-o", "wide"));
    section("ipvsadm -Ln on the director node (its own network namespace in the VM, read by Debian's ipvsadm)");
    System.out.println(lane.onNode(ClusterLane.DIRECTOR, "ipvsadm -Ln"));
    section("GET http://" + ChartOnCluster.VIP + "/ from the client network outside the cluster (198.18.2.100), "
        + REQUESTS + " times: which pod answered");
    Client.Tally t = ClusterTraffic.requests(lane, ChartOnCluster.VIP, 80, REQUESTS);
    System.out.println("answers by pod: " + t.byServer() + (t.failed() > 0 ? ", failed: " + t.failed() : ""));
    section("ipvsadm -Ln --stats on the director node (NAT: replies pass the director, OutPkts > 0)");
    System.out.println(lane.onNode(ClusterLane.DIRECTOR, "sleep 3; ipvsadm -Ln --stats"));
    section("kubectl get virtualservice web-nat -o jsonpath=...   (its conditions)");
    System.out.println(kubectl(lane, "get", "virtualservice", "web-nat", "-n", "default", "-o",
        "jsonpath={range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{\"\\n\"}{end}"));
    section("kubectl get events --field-selector involvedObject.name=web-nat");
    System.out.println(kubectl(lane, "get", "events", "-n", "default", "--field-selector", "involvedObject.name=web-nat"));
    boolean ok = t.failed() == 0 && t.byServer().size() == 2;
    say(ok ? "cluster demo done: " + t.total() + " requests through IPVS, both pods answered " + t.byServer()
        : "cluster demo FAILED: " + t);
    return ok;
  }

  /** Runs one step, saying every 20 s that it still runs: minutes of silence read as a hang. */
  private static void step(String what, Runnable work) {
    say(what);
    long t0 = System.nanoTime();
    ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread th = new Thread(r, "heartbeat");
      th.setDaemon(true);
      return th;
    });
    beat.scheduleAtFixedRate(() -> say("... still at it (" + (System.nanoTime() - t0) / 1_000_000_000 + " s)"), 20, 20,
        TimeUnit.SECONDS);
    try {
      work.run();
    } finally {
      beat.shutdownNow();
    }
    say(String.format("done in %.1f s", (System.nanoTime() - t0) / 1e9));
  }

  private static String kubectl(ClusterLane lane, String... args) {
    List<String> cmd = new ArrayList<>(List.of("sh", lane.run().resolve("kubectl.sh").toString()));
    cmd.addAll(List.of(args));
    Shell.Result r = Shell.run(Duration.ofSeconds(60), cmd);
    return r.ok() ? r.stdout() : r.stdout() + r.stderr();
  }

  private static String resource(String name) {
    try (var in = ClusterDemoMain.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void section(String title) {
    System.out.println();
    System.out.println("── " + title);
  }

  private static void say(String line) {
    System.out.printf("[cluster-demo %s] %s%n", java.time.LocalTime.now().format(CLOCK), line);
  }
}
