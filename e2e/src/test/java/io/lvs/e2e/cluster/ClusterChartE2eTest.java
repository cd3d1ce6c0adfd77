package io.lvs.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.e2e.chart.ProjectFiles;
import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.KernelSnapshot;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The chart on a real two-node Kubernetes 1.20 cluster in the kernel lab (e2e/k8s-cluster/): the
 * images in each node's containerd, the chart installed with Helm exactly as docs/operations.md
 * tells a user, the agent DaemonSet and operator Deployment running as rendered, NAT with pods as
 * real servers, scale under a request loop, a bad VirtualService refused, helm upgrade rolling the
 * agents under a request loop, and uninstall leaving every node's kernel as before. One cluster for
 * all, in order. {@code -Dlvs.cluster.full=true} adds the operator's rolling restart (and the
 * agents' again, by {@code kubectl rollout restart}) under load. 
 * Run (the caller holds the VM slot): {@code mvn -B -o -pl e2e -am -DskipKernelTests -Dgroups=cluster
 * -De2e.excludedGroups= -Dtest=ClusterChartE2eTest -Dsurefire.failIfNoSpecifiedTests=false test}
 * (e2e/k8s-cluster/README.md).
 */
@Tag("cluster")
@TestMethodOrder(OrderAnnotation.class)
class ClusterChartE2eTest {
  static final String NAMESPACE = ChartOnCluster.NAMESPACE;
  static final String RELEASE = ChartOnCluster.RELEASE;
  static final String VIP = ChartOnCluster.VIP;
  static final String MANY_VIP = "198.18.0.201";
  /** Each JVM's resident set, by main class and, for the hostNetwork agents, node (the pods' processes are the VM's). */
  static final String RSS = "for p in $(pgrep -f 'io.lvs.agent.AgentMain|io.lvs.operator.OperatorMain'); do"
      + " echo \"$(grep -ao 'io.lvs.[a-z]*.[A-Za-z]*Main' /proc/$p/cmdline) $(ip netns identify $p) $(grep VmRSS /proc/$p/status)\"; done";
  private static final ProjectFiles FILES = ProjectFiles.locate();
  private static final Map<String, Long> TIMINGS = new LinkedHashMap<>();
  private static ClusterLane lane;
  private static KubernetesClient kube;
  private static KernelSnapshot before;

  @BeforeAll
  static void cluster() {
    lane = ClusterLane.of(FILES.root());
    timed("cluster up", lane::up);
    kube = lane.client();
    // real servers first: the first pod creates each node's CNI bridge, which is Kubernetes' doing
    timed("web Deployment Ready (2 pods)", () -> ChartOnCluster.applyWeb(kube));
    before = steadySnapshot();
  }

  /**
   * Reads until two reads agree (at most four): a line garbled on its way out of the VM (CI of
   * d819e5b: "." for lo's link line) in the reference would otherwise fail the uninstall check.
   */
  private static KernelSnapshot steadySnapshot() {
    KernelSnapshot last = snapshot();
    for (int i = 0; i < 3; i++) {
      KernelSnapshot next = snapshot();
      List<String> diff = last.diff(next);
      if (diff.isEmpty()) {
        return next;
      }
      System.out.println("cluster lane: two reads of the node kernels differ, reading again: " + diff);
      last = next;
    }
    return last;
  }

  @AfterAll
  static void down() {
    TIMINGS.forEach((what, ms) -> System.out.printf("cluster lane timing: %-40s %6.1f s%n", what, ms / 1000.0));
    if (kube != null) {
      kube.close();
    }
    if (lane != null) {
      lane.down();
    }
  }

  @Test
  @Order(1)
  void twoNodesAreReadyOnOneSegment() {
    List<Node> nodes = kube.nodes().list().getItems();
    assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(ClusterLane.NODES);
    assertThat(nodes).allSatisfy(n -> assertThat(n.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True")));
    assertThat(nodes).flatExtracting(n -> n.getStatus().getAddresses()).filteredOn(a -> a.getType().equals("InternalIP"))
        .extracting(a -> a.getAddress()).containsExactlyInAnyOrder("198.18.0.11", "198.18.0.12");
  }

  @Test
  @Order(2)
  void helmInstallRunsTheAgentOnEveryNodeAsRendered() {
    // helm install lvs ./helm-chart -n lvs-system --create-namespace -f e2e/k8s-cluster/values-lab.yaml
    // kubectl label namespace lvs-system pod-security.kubernetes.io/enforce=privileged --overwrite
    timed("helm install (agents Ready)", () -> ChartOnCluster.install(lane, kube, FILES));
    assertThat(kube.namespaces().withName(NAMESPACE).get().getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
    for (Pod p : ChartOnCluster.agentPods(kube)) {
      var c = p.getSpec().getContainers().get(0);
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as("read-only root as rendered").isTrue();
      assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("384Mi");
      assertThat(p.getSpec().getHostNetwork()).isTrue();
    }
    for (String node : ClusterLane.NODES) {
      // the JVM loaded its netlink natives under the read-only root (/tmp is the chart's emptyDir)
      // and its readiness answers on the node's own network namespace. Polled, not read once: /readyz
      // is 503 while the first sync of node state that arrived after the probe passed still runs
      // (Agent.readyProblem), and one read landed there in the 2026-12-04 20:07 run
      assertThat(lane.onNode(node, "rc=1; for i in $(seq 30); do if wget -qO- -T 10 http://127.0.0.1:9720/readyz;"
          + " then rc=0; break; fi; sleep 2; done; echo \" rc=$rc\"")).contains("rc=0");
    }
  }

  @Test
  @Order(3)
  void natWithPodsAsRealServersServesTheOutsideClient() {
    timed("NAT VirtualService Ready, IPVS programmed", () -> {
      kube.load(ClusterChartE2eTest.class.getResourceAsStream("/cluster/nat.yaml")).inNamespace("default").serverSideApply();
      ChartOnCluster.awaitIpvsHoldsThePods(lane, kube, 2);
    });
    Client.Tally t = ClusterTraffic.requests(lane, VIP, 80, 10);
    assertThat(t.failed()).as("failed requests of %s", t).isZero();
    assertThat(t.byServer().keySet()).as("rr over both pods").containsExactlyInAnyOrderElementsOf(ChartOnCluster.webPodNames(kube));
    // the agents' reports reach the status after the kernel: the 16:51 run read it too early
    // ("False Programming 0/1 nodes programmed" while its requests had all been answered)
    ChartOnCluster.awaitReady(kube, "web-nat");
  }

  @Test
  @Order(4)
  void scaleUpAndDownUnderARequestLoopLosesNothing() {
    try (ClusterTraffic.Loop loop = ClusterTraffic.loop(lane, "scale", VIP, 80)) {
      timed("scale 2 -> 3, in IPVS", () -> {
        kube.apps().deployments().inNamespace("default").withName("web").scale(3);
        ChartOnCluster.awaitIpvsHoldsThePods(lane, kube, 3);
      });
      timed("scale 3 -> 1, in IPVS", () -> {
        kube.apps().deployments().inNamespace("default").withName("web").scale(1);
        ChartOnCluster.awaitIpvsHoldsThePods(lane, kube, 1);
      });
      loop.close();
      Client.Tally t = loop.tally();
      System.out.println("cluster lane: scale loop " + t);
      assertThat(t.total()).as("requests sent").isGreaterThan(10);
      assertThat(t.failed()).as("failed requests of %s", t).isZero();
    }
    kube.apps().deployments().inNamespace("default").withName("web").scale(2);
    ChartOnCluster.awaitIpvsHoldsThePods(lane, kube, 2);
  }

  @Test
  @Order(5)
  void aVirtualServiceTheCrdsCelWouldRejectIsRefusedByTheOperator() {
    // 1.20 drops the CRD's CEL rules: the API server takes it, the operator must say no
    kube.load(ClusterChartE2eTest.class.getResourceAsStream("/cluster/bad-endport.yaml")).inNamespace("default")
        .serverSideApply();
    await("bad-range refused").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() ->
        assertThat(ClusterStatus.condition(kube, "bad-range", "Ready"))
            .startsWith("False InvalidSpec").contains("spec.fwmarkMatch[0].ports[0].endPort: 8070"));
    assertThat(ClusterStatus.events(kube, "bad-range")).anySatisfy(e -> assertThat(e).contains("endPort: 8070"));
    ClusterStatus.delete(kube, "bad-range");
    assertThat(lane.onNode(ClusterLane.DIRECTOR, "ipvsadm -Sn")).doesNotContain("-f 7");
  }

  @Test
  @Order(6)
  void helmUpgradeRollsTheAgentsUnderARequestLoopLosingNothing() {
    // the changed value is in the DaemonSet's pod template, so the upgrade is the agents' rolling
    // restart (maxUnavailable 1, the same mechanism as kubectl rollout restart) while traffic flows
    try (ClusterTraffic.Loop loop = ClusterTraffic.loop(lane, "upgrade", VIP, 80)) {
      timed("helm upgrade (agents rolled, Ready)", () -> {
        // helm upgrade lvs ./helm-chart -n lvs-system -f values-upgrade.yaml
        new Helm(FILES.chart()).upgrade().withName(RELEASE).withNamespace(NAMESPACE)
            .withValuesFile(FILES.root().resolve("e2e/src/test/resources/cluster/values-upgrade.yaml"))
            .withKubeConfig(lane.kubeconfig()).call();
        await("agents upgraded").atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(5)).until(() ->
            ClusterStatus.rolledOut(kube, NAMESPACE, "DaemonSet", "node-agent"));
      });
      loop.close();
      Client.Tally t = loop.tally();
      System.out.println("cluster lane: upgrade loop " + t);
      assertThat(t.total()).as("requests sent").isGreaterThan(10);
      assertThat(t.failed()).as("failed requests of %s", t).isZero();
    }
    assertThat(ChartOnCluster.agentPods(kube)).hasSize(2).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("LVS_RESYNC_SECONDS=90")));
    System.out.println("cluster lane: RSS " + lane.vm(Duration.ofSeconds(60), RSS).orThrow().strip());
  }

  /** The full lane only ({@code -Dlvs.cluster.full=true}): ~13 min under emulation, CI's budget has no room. */
  @Test
  @Order(7)
  @EnabledIfSystemProperty(named = "lvs.cluster.full", matches = "true")
  void rollingRestartsOfTheOperatorAndTheAgentsUnderLoadLoseNothing() {
    try (ClusterTraffic.Loop loop = ClusterTraffic.loop(lane, "restart", VIP, 80)) {
      timed("operator Deployment rolling restart", () -> {
        ClusterStatus.restart(kube, NAMESPACE, "Deployment", "operator");
        await("operator restarted").atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(5))
            .until(() -> ClusterStatus.rolledOut(kube, NAMESPACE, "Deployment", "operator"));
      });
      timed("agent DaemonSet rolling restart", () -> {
        ClusterStatus.restart(kube, NAMESPACE, "DaemonSet", "node-agent");
        await("agents restarted").atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(5))
            .until(() -> ClusterStatus.rolledOut(kube, NAMESPACE, "DaemonSet", "node-agent"));
      });
      loop.close();
      Client.Tally t = loop.tally();
      System.out.println("cluster lane: restart loop " + t);
      assertThat(t.total()).as("requests sent").isGreaterThan(10);
      assertThat(t.failed()).as("failed requests of %s", t).isZero();
    }
  }

  /**
   * Resident memory with N services programmed ({@code -Dlvs.cluster.services=1000}): N NAT
   * VirtualServices on one VIP (ports 20000+), all on the web pool, so the director's agent holds N
   * services x 2 pods and the operator N of each kind. Fails if an agent passes 80% of its limit.
   */
  @Test
  @Order(8)
  @EnabledIfSystemProperty(named = "lvs.cluster.services", matches = "[0-9]+")
  void residentMemoryWithManyServicesProgrammed() {
    int n = Integer.getInteger("lvs.cluster.services");
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < n; i++) {
      yaml.append("---\napiVersion: lvs.io/v1alpha1\nkind: VirtualService\nmetadata: {name: many-").append(i)
          .append(", namespace: default, labels: {lvs.lab/many: \"true\"}}\nspec:\n  vip: ").append(MANY_VIP)
          .append("\n  ports: [{port: ").append(20000 + i).append(", targetPort: 8080, protocol: TCP}]\n")
          .append("  forwarding: NAT\n  scheduler: rr\n  realServerPoolRef: {name: web}\n")
          .append("  directors: {nodeSelector: {lvs.lab/role: director}}\n");
    }
    Map<String, Integer> restartsBefore = ChartOnCluster.operatorRestarts(kube);
    timed(n + " services applied and programmed", () -> {
      kube.load(new java.io.ByteArrayInputStream(yaml.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .inNamespace("default").serverSideApply();
      await(n + " services in the director's table").atMost(Duration.ofMinutes(40)).pollInterval(Duration.ofSeconds(15))
          .conditionEvaluationListener(c -> System.out.printf("cluster lane: %s (%d s)%n", c.getDescription(), c.getElapsedTimeInMS() / 1000))
          .until(() -> lane.onNode(ClusterLane.DIRECTOR, "ipvsadm -Sn | grep -c -- \"-a -t " + MANY_VIP + ":\" || true").strip()
              .equals(Integer.toString(2 * n)));
    });
    // steady state: a few resyncs and the informers' relists behind them
    lane.vm(Duration.ofSeconds(120), "sleep 60").orThrow();
    // a leader starved past its Lease (30 s by default) hands over and exits: under emulation it
    // happens in such a burst, so it is reported beside the figures rather than asserted
    System.out.printf("cluster lane: operator restarts before %s, after %s; leader transitions %s%n", restartsBefore,
        ChartOnCluster.operatorRestarts(kube), kube.leases().inNamespace(NAMESPACE).withName("lvs-operator").get()
            .getSpec().getLeaseTransitions());
    String rss = lane.vm(Duration.ofSeconds(60), RSS).orThrow().strip();
    System.out.println("cluster lane: RSS with " + n + " services programmed:\n" + rss);
    // the limit as the running agent pods have it from the chart, not a copy of its value
    long limitMib = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(ChartOnCluster.agentPods(kube).get(0)
        .getSpec().getContainers().get(0).getResources().getLimits().get("memory")).longValue() >> 20;
    for (String line : rss.lines().filter(l -> l.startsWith("io.lvs.agent.AgentMain")).toList()) {
      long kib = Long.parseLong(line.replaceAll(".*VmRSS:\\s*([0-9]+) kB.*", "$1"));
      assertThat(kib / 1024).as("agent RSS MiB at %d services vs 80%% of its %d MiB limit: %s", n, limitMib, line)
          .isLessThanOrEqualTo(limitMib * 8 / 10);
    }
    timed(n + " services deleted", () -> {
      kube.genericKubernetesResources(ClusterStatus.VS).inNamespace("default").withLabel("lvs.lab/many", "true").delete();
      await("the director's table back to web-nat").atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(15))
          .until(() -> !lane.onNode(ClusterLane.DIRECTOR, "ipvsadm -Sn").contains(MANY_VIP + ":"));
    });
  }

  @Test
  @Order(90)
  void uninstallAndCrdRemovalLeaveEveryNodeAsBefore() {
    timed("helm uninstall + CRDs removed", () -> {
      // a user's order: the services first (the agents take their rules back), then the release
      ClusterStatus.delete(kube, "web-nat");
      await("director's IPVS table empty").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(5))
          .until(() -> !lane.onNode(ClusterLane.DIRECTOR, "ipvsadm -Sn").contains("-A"));
      new Helm(FILES.chart()).uninstall(RELEASE).withNamespace(NAMESPACE).withKubeConfig(lane.kubeconfig()).call();
      // the release's pods gone before the CRDs: the garbage collector deletes the DaemonSet's pods,
      // and Kubernetes 1.20's stalls on the monitors of CRDs deleted under it (CI at c436a0d: its
      // metadata informers failed for minutes and the agent pods stayed)
      await("agent pods gone").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(5))
          .until(() -> ChartOnCluster.agentPods(kube).isEmpty());
      kube.apiextensions().v1().customResourceDefinitions().withLabel("app.kubernetes.io/part-of", "lvs-operator").delete();
      for (String crd : List.of("virtualservices.lvs.io", "realserverpools.lvs.io", "lvsnodestates.lvs.io")) {
        kube.apiextensions().v1().customResourceDefinitions().withName(crd).delete();
      }
    });
    List<String> diff = before.diff(snapshot());
    if (!diff.isEmpty()) {
      // read once more: a line garbled on its way out of the VM (seen once: "." for lo's link line)
      // differs once, a leftover differs again
      System.out.println("cluster lane: node kernels differ, read again: " + diff);
      diff = before.diff(snapshot());
    }
    assertThat(diff).as("node kernels after uninstall vs before install").isEmpty();
  }

  private static KernelSnapshot snapshot() {
    return KubernetesOwnLines.strip(KernelSnapshot.parse(
        lane.vm(Duration.ofMinutes(5), KernelSnapshot.script(ClusterLane.NODES)).orThrow()));
  }

  private static void timed(String what, Runnable work) {
    long t0 = System.nanoTime();
    work.run();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    TIMINGS.put(what, ms);
    // at once as well: a run stopped midway still shows how far it got and how long each step took
    System.out.printf("cluster lane: %s took %.1f s%n", what, ms / 1000.0);
  }
}
