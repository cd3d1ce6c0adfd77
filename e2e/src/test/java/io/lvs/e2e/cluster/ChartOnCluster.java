package io.lvs.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.e2e.chart.ProjectFiles;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The steps a user takes with the chart on the lane's cluster, and what they wait for: shared by
 * the lane's tests and {@code ./lvs-lab cluster-demo} so both do exactly what docs/operations.md
 * says.
 */
final class ChartOnCluster {
  static final String NAMESPACE = "lvs-system";
  static final String RELEASE = "lvs";
  static final String VIP = "198.18.0.200";
  private static final String COMPONENT = "app.kubernetes.io/component";

  private ChartOnCluster() {}

  /** The real servers: a Deployment of two busybox httpd pods and its Service, Ready. */
  static void applyWeb(KubernetesClient kube) {
    kube.load(ChartOnCluster.class.getResourceAsStream("/cluster/web.yaml")).inNamespace("default").serverSideApply();
    await("web pods Ready").atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(5)).until(() -> {
      var status = kube.apps().deployments().inNamespace("default").withName("web").get().getStatus();
      return status.getReadyReplicas() != null && status.getReadyReplicas() == 2;
    });
  }

  /**
   * {@code helm install lvs ./helm-chart -n lvs-system --create-namespace -f e2e/k8s-cluster/values-lab.yaml}
   * then {@code kubectl label namespace lvs-system pod-security.kubernetes.io/enforce=privileged --overwrite},
   * and the agent DaemonSet Ready on every node.
   */
  static void install(ClusterLane lane, KubernetesClient kube, ProjectFiles files) {
    new Helm(files.chart()).install().withName(RELEASE).withNamespace(NAMESPACE).createNamespace()
        .withValuesFile(files.root().resolve("e2e/k8s-cluster/values-lab.yaml")).withKubeConfig(lane.kubeconfig()).call();
    kube.namespaces().withName(NAMESPACE).edit(n -> {
      n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "privileged");
      return n;
    });
    await("agent DaemonSet Ready on both nodes").atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(5))
        .until(() -> agentsReady(kube) == ClusterLane.NODES.size());
  }

  /** The agent DaemonSet's ready pods. */
  static int agentsReady(KubernetesClient kube) {
    DaemonSet ds = kube.apps().daemonSets().inNamespace(NAMESPACE).withLabel(COMPONENT, "node-agent")
        .list().getItems().stream().findFirst().orElse(null);
    return ds == null || ds.getStatus() == null || ds.getStatus().getNumberReady() == null ? 0 : ds.getStatus().getNumberReady();
  }

  /** Waits until the VirtualService {@code name} in default reports Ready: the agents' reports reach the status after the kernel. */
  static void awaitReady(KubernetesClient kube, String name) {
    await(name + " Ready").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(ClusterStatus.condition(kube, name, "Ready")).startsWith("True"));
  }

  /** Each operator pod's name with its container's restarts: a leader that lost its Lease exited. */
  static Map<String, Integer> operatorRestarts(KubernetesClient kube) {
    Map<String, Integer> out = new TreeMap<>();
    for (Pod p : kube.pods().inNamespace(NAMESPACE).withLabel(COMPONENT, "operator").list().getItems()) {
      out.put(p.getMetadata().getName(), p.getStatus().getContainerStatuses().stream()
          .mapToInt(ContainerStatus::getRestartCount).sum());
    }
    return out;
  }

  static List<Pod> agentPods(KubernetesClient kube) {
    return kube.pods().inNamespace(NAMESPACE).withLabel(COMPONENT, "node-agent").list().getItems();
  }

  /** The director's IPVS table holds VIP:80 with exactly the {@code n} live web pods as destinations. */
  static void awaitIpvsHoldsThePods(ClusterLane lane, KubernetesClient kube, int n) {
    await(n + " pods in the director's IPVS table").atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(5))
        .untilAsserted(() -> {
          List<String> ips = kube.pods().inNamespace("default").withLabel("app", "web").list().getItems().stream()
              .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus().getPodIP() != null)
              .map(p -> p.getStatus().getPodIP()).toList();
          assertThat(ips).hasSize(n);
          String table = lane.onNode(ClusterLane.DIRECTOR, "ipvsadm -Sn");
          List<String> dests = table.lines().filter(l -> l.startsWith("-a -t " + VIP + ":80 ")).toList();
          assertThat(dests).as(table).hasSize(n);
          for (String ip : ips) {
            assertThat(dests).as(table).anySatisfy(d -> assertThat(d).contains("-r " + ip + ":8080 -m"));
          }
        });
  }

  static List<String> webPodNames(KubernetesClient kube) {
    return kube.pods().inNamespace("default").withLabel("app", "web").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).map(p -> p.getMetadata().getName()).toList();
  }
}
