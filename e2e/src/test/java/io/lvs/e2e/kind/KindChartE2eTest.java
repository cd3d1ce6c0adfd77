package io.lvs.e2e.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dajudge.kindcontainer.KindContainer;
import com.dajudge.kindcontainer.KindContainerVersion;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.lvs.e2e.chart.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.utility.MountableFile;

/**
 * The chart on a real (kind) cluster: images loaded from the Jib tarballs, chart installed with
 * helm-java, the NAT and DR services applied with pods as real servers (serviceRef), then status,
 * node objects, the node's IPVS table and NAT traffic from a client pod.
 *
 * <p>Needs a Docker engine. Where there is none (this project's CI), it is skipped with the reason
 * printed: the only skipped test of the build. Run: {@code mvn -B verify -pl e2e -am
 * -Dtest=KindChartE2eTest -Dsurefire.failIfNoSpecifiedTests=false} (docs/operations.md).
 */
class KindChartE2eTest {
  private static final String SKIP_REASON = "no Docker engine reachable (DOCKER_HOST or /var/run/docker.sock):"
      + " the kind suite needs one; see docs/operations.md#kind-suite";
  private static final ProjectFiles FILES = ProjectFiles.locate();
  private static final ResourceDefinitionContext VS = new ResourceDefinitionContext.Builder().withGroup("lvs.io")
      .withVersion("v1alpha1").withPlural("virtualservices").withKind("VirtualService").withNamespaced(true).build();
  private static final ResourceDefinitionContext NODE_STATE = new ResourceDefinitionContext.Builder().withGroup("lvs.io")
      .withVersion("v1alpha1").withPlural("lvsnodestates").withKind("LvsNodeState").withNamespaced(false).build();

  private static boolean docker;
  private static KindContainer<?> kind;
  private static KubernetesClient client;

  @BeforeAll
  static void cluster() throws Exception {
    docker = dockerAvailable();
    if (!docker) {
      System.out.println("KindChartE2eTest skipped: " + SKIP_REASON);
      return;
    }
    kind = new KindContainer<>(KindContainerVersion.VERSION_1_34_0);
    kind.start();
    for (String module : List.of("operator", "node-agent")) {
      Path tar = FILES.root().resolve(module).resolve("target/jib-image.tar");
      assertThat(tar).as("image tarball built by jib:buildTar").isRegularFile();
      kind.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/" + module + ".tar");
      ExecResult r = kind.execInContainer("ctr", "-n", "k8s.io", "images", "import", "/tmp/" + module + ".tar");
      assertThat(r.getExitCode()).as("ctr import %s: %s", module, r.getStderr()).isZero();
    }
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kind.getKubeconfig())).build();
    String node = client.nodes().list().getItems().get(0).getMetadata().getName();
    client.nodes().withName(node).edit(n -> {
      n.getMetadata().getLabels().put("lvs.io/director", "true");
      return n;
    });
    Path kubeconfig = Files.createTempFile("kind", ".kubeconfig");
    Files.writeString(kubeconfig, kind.getKubeconfig());
    new Helm(FILES.chart()).install().withName("lvs").withNamespace("lvs-system").createNamespace()
        .withKubeConfig(kubeconfig).set("operator.replicas", 1).set("image.pullPolicy", "Never").waitReady().call();
    apply("/kind/web.yaml");
    client.apps().deployments().inNamespace("default").withName("web").waitUntilReady(3, java.util.concurrent.TimeUnit.MINUTES);
    apply("/kind/nat.yaml");
  }

  @BeforeEach
  void needsDocker() {
    Assumptions.assumeTrue(docker, SKIP_REASON);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (kind != null) {
      kind.stop();
    }
  }

  @Test
  void natBecomesReadyAndTheNodeReportsIt() {
    await("web-nat Ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(() ->
        condition(client.genericKubernetesResources(VS).inNamespace("default").withName("web-nat").get(), "Ready"));
    List<GenericKubernetesResource> nodes = client.genericKubernetesResources(NODE_STATE).list().getItems();
    assertThat(nodes).isNotEmpty().allSatisfy(n -> assertThat(condition(n, "Programmed")).isTrue());
  }

  /**
   * DR with pods: only a pod on the director's own node is its L2 neighbour (the node's bridge).
   * Those get the VIP in their namespace; a pod on another node is named NotL2Neighbour and does
   * not count towards Ready, which holds only if some pod runs on the director.
   */
  @Test
  void drCountsOnlyPodsOnTheDirectorsNode() {
    String director = client.nodes().withLabel("lvs.io/director", "true").list().getItems().get(0)
        .getMetadata().getName();
    List<Pod> pods = client.pods().inNamespace("default").withLabel("app", "web").list().getItems();
    List<String> onDirector = pods.stream().filter(p -> director.equals(p.getSpec().getNodeName()))
        .map(p -> p.getStatus().getPodIP()).toList();
    List<String> elsewhere = pods.stream().filter(p -> !director.equals(p.getSpec().getNodeName()))
        .map(p -> p.getStatus().getPodIP()).toList();
    await("web-dr status").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      GenericKubernetesResource dr = client.genericKubernetesResources(VS).inNamespace("default").withName("web-dr").get();
      assertThat(condition(dr, "Ready")).as("Ready iff a pod is on the director %s", director)
          .isEqualTo(!onDirector.isEmpty());
      for (String ip : elsewhere) {
        assertThat(podNamespace(dr, ip)).as("pod %s off the director", ip).startsWith("NotL2Neighbour");
      }
      List<GenericKubernetesResource> nodes = client.genericKubernetesResources(NODE_STATE).list().getItems();
      assertThat(configuredPods(nodes, "default/web-dr")).containsExactlyInAnyOrderElementsOf(onDirector);
    });
  }

  @SuppressWarnings("unchecked")
  private static String podNamespace(GenericKubernetesResource vs, String ip) {
    if (vs != null && vs.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && status.get("realServers") instanceof List<?> rs) {
      return ((List<Map<String, Object>>) rs).stream().filter(r -> ip.equals(r.get("address")))
          .map(r -> String.valueOf(r.get("podNamespace"))).findFirst().orElse("absent");
    }
    return "no status";
  }

  /** The pod IPs whose namespaces the agents report configured for this owner. */
  @SuppressWarnings("unchecked")
  private static List<String> configuredPods(List<GenericKubernetesResource> nodes, String owner) {
    List<String> out = new java.util.ArrayList<>();
    for (GenericKubernetesResource n : nodes) {
      if (n.getAdditionalProperties().get("status") instanceof Map<?, ?> status
          && status.get("owners") instanceof List<?> owners) {
        for (Map<String, Object> o : (List<Map<String, Object>>) owners) {
          if (owner.equals(o.get("owner")) && o.get("podNamespaces") instanceof List<?> pods) {
            for (Map<String, Object> p : (List<Map<String, Object>>) pods) {
              if (Boolean.TRUE.equals(p.get("configured"))) {
                out.add((String) p.get("podIp"));
              }
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void theNodesIpvsTableHoldsBothServicesWithThePodsAsDestinations() throws Exception {
    List<String> podIps = client.pods().inNamespace("default").withLabel("app", "web").list().getItems().stream()
        .map(p -> p.getStatus().getPodIP()).toList();
    await("IPVS table").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      String table = kind.execInContainer("cat", "/proc/net/ip_vs").getStdout();
      assertThat(table).contains("TCP  C61200C8:0050 rr").contains("TCP  C61200C9:1F90 wrr"); // 198.18.0.200:80, .201:8080
      for (String ip : podIps) {
        assertThat(table).contains(hex(ip) + ":1F90      Masq").contains(hex(ip) + ":1F90      Route");
      }
    });
  }

  @Test
  void aClientPodReachesBothPodsThroughTheNatVip() {
    Pod curl = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("client")
        .endMetadata().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("wget")
        .withImage("busybox:1.36").withCommand("sh", "-c",
            "for i in 1 2 3 4 5 6; do wget -qO- -T 3 http://198.18.0.200/; done")
        .endContainer().endSpec().build()).create();
    await("client pod done").atMost(Duration.ofMinutes(2)).until(() -> {
      Pod p = client.pods().inNamespace("default").withName(curl.getMetadata().getName()).get();
      return p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase());
    });
    String log = client.pods().inNamespace("default").withName("client").getLog();
    List<String> pods = client.pods().inNamespace("default").withLabel("app", "web").list().getItems().stream()
        .map(p -> p.getMetadata().getName()).toList();
    assertThat(pods).allSatisfy(p -> assertThat(log).contains(p)); // rr: both real servers answered
  }

  private static void apply(String resource) {
    client.load(KindChartE2eTest.class.getResourceAsStream(resource)).serverSideApply();
  }

  @SuppressWarnings("unchecked")
  private static boolean condition(GenericKubernetesResource o, String type) {
    if (o == null || !(o.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return false;
    }
    Object conditions = status.get("conditions");
    return conditions instanceof List<?> list && list.stream().map(c -> (Map<String, Object>) c)
        .anyMatch(c -> type.equals(c.get("type")) && "True".equals(c.get("status")));
  }

  private static String hex(String ipv4) {
    StringBuilder b = new StringBuilder();
    for (String part : ipv4.split("\\.")) {
      b.append(String.format("%02X", Integer.parseInt(part)));
    }
    return b.toString();
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
