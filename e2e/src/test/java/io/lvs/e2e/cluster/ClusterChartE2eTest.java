package io.lvs.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.e2e.chart.ProjectFiles;
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

/**
 * The chart on a real two-node Kubernetes 1.20 cluster in the kernel lab (e2e/k8s-cluster/): the
 * images imported into each node's containerd, the chart installed with Helm exactly as
 * docs/operations.md tells a user, the agent DaemonSet running as rendered, and uninstall leaving
 * every node's kernel as before. Run: {@code /tmp/vmslot}-style wrapping is the caller's;
 * {@code mvn -B -o -pl e2e test -Dgroups=cluster -DexcludedGroups= -Dtest=ClusterChartE2eTest
 * -Dsurefire.failIfNoSpecifiedTests=false} (see e2e/README.md).
 */
@Tag("cluster")
@TestMethodOrder(OrderAnnotation.class)
class ClusterChartE2eTest {
  static final String NAMESPACE = "lvs-system";
  static final String RELEASE = "lvs";
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
    timed("web Deployment Ready (2 pods)", () -> {
      kube.load(ClusterChartE2eTest.class.getResourceAsStream("/cluster/web.yaml")).inNamespace("default").serverSideApply();
      await("web pods Ready").atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(5)).until(() ->
          kube.apps().deployments().inNamespace("default").withName("web").get().getStatus().getReadyReplicas() != null
              && kube.apps().deployments().inNamespace("default").withName("web").get().getStatus().getReadyReplicas() == 2);
    });
    before = snapshot();
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
    timed("helm install (agents Ready)", () -> {
      // helm install lvs ./helm-chart -n lvs-system --create-namespace -f e2e/k8s-cluster/values-lab.yaml
      new Helm(FILES.chart()).install().withName(RELEASE).withNamespace(NAMESPACE).createNamespace()
          .withValuesFile(FILES.root().resolve("e2e/k8s-cluster/values-lab.yaml")).withKubeConfig(lane.kubeconfig()).call();
      // kubectl label namespace lvs-system pod-security.kubernetes.io/enforce=privileged --overwrite
      kube.namespaces().withName(NAMESPACE).edit(n -> {
        n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "privileged");
        return n;
      });
      await("agent DaemonSet Ready on both nodes").atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(5))
          .until(() -> agentsReady() == ClusterLane.NODES.size());
    });
    assertThat(kube.namespaces().withName(NAMESPACE).get().getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
    for (Pod p : agentPods()) {
      var c = p.getSpec().getContainers().get(0);
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as("read-only root as rendered").isTrue();
      assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("384Mi");
      assertThat(p.getSpec().getHostNetwork()).isTrue();
    }
    for (String node : ClusterLane.NODES) {
      // the JVM loaded its netlink natives under the read-only root (/tmp is the chart's emptyDir)
      // and its readiness answers on the node's own network namespace
      assertThat(lane.onNode(node, "wget -qO- -T 10 http://127.0.0.1:9720/readyz; echo \" rc=$?\"")).contains("rc=0");
    }
  }

  @Test
  @Order(90)
  void uninstallAndCrdRemovalLeaveEveryNodeAsBefore() {
    timed("helm uninstall + CRDs removed", () -> {
      new Helm(FILES.chart()).uninstall(RELEASE).withNamespace(NAMESPACE).withKubeConfig(lane.kubeconfig()).call();
      kube.apiextensions().v1().customResourceDefinitions().withLabel("app.kubernetes.io/part-of", "lvs-operator").delete();
      for (String crd : List.of("virtualservices.lvs.io", "realserverpools.lvs.io", "lvsnodestates.lvs.io")) {
        kube.apiextensions().v1().customResourceDefinitions().withName(crd).delete();
      }
      await("agent pods gone").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(5))
          .until(() -> agentPods().isEmpty());
    });
    assertThat(before.diff(snapshot())).as("node kernels after uninstall vs before install").isEmpty();
  }

  private static int agentsReady() {
    DaemonSet ds = kube.apps().daemonSets().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/component", "node-agent")
        .list().getItems().stream().findFirst().orElse(null);
    return ds == null || ds.getStatus() == null || ds.getStatus().getNumberReady() == null ? 0 : ds.getStatus().getNumberReady();
  }

  private static List<Pod> agentPods() {
    return kube.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/component", "node-agent").list().getItems();
  }

  private static KernelSnapshot snapshot() {
    return KubernetesOwnLines.strip(KernelSnapshot.parse(
        lane.vm(Duration.ofMinutes(5), KernelSnapshot.script(ClusterLane.NODES)).orThrow()));
  }

  private static void timed(String what, Runnable work) {
    long t0 = System.nanoTime();
    work.run();
    TIMINGS.put(what, (System.nanoTime() - t0) / 1_000_000);
  }
}
