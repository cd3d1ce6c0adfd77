package io.lvs.agent.runtime.k8s;

import static io.lvs.agent.runtime.k8s.AgentApiServerTest.create;
import static io.lvs.agent.runtime.k8s.AgentApiServerTest.freePort;
import static io.lvs.agent.runtime.k8s.AgentApiServerTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.lvs.agent.ownership.OwnershipStore;
import io.lvs.agent.runtime.Agent;
import io.lvs.agent.runtime.AgentConfig;
import io.lvs.agent.runtime.InMemoryKernel;
import io.lvs.agent.runtime.KernelClients;
import io.lvs.agent.runtime.MarkProgrammer;
import io.lvs.agent.runtime.SnatProgrammer;
import io.lvs.agent.view.ProcConnections;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/kubectl-lvs against a real kube-apiserver (1.20.2) and a real agent (its HTTP views; an
 * in-memory kernel and a fixed connection table): through the API server's pod proxy, as a
 * ServiceAccount bound to exactly viewer-rules.yaml (the chart's viewer roles), as one bound to
 * nothing, as one that may list pods but not proxy to them, and with one agent not answering.
 *
 * <p>The API server refuses to proxy to loopback addresses (IsProxyableIP), and here the agent
 * listens on this host only: its stand-in Pod object carries podIP 0.0.0.0, which that check lets
 * through and Linux dials as this host. In a cluster the agent's pod IP is its node's address.
 */
class KubectlLvsPluginApiServerTest {
  static final String NS = "lvs-plugin";
  static final String VIEWER = "system:serviceaccount:" + NS + ":viewer";
  static final String STRANGER = "system:serviceaccount:" + NS + ":stranger";
  static final String LISTER = "system:serviceaccount:" + NS + ":lister";
  static final String TABLE = """
      Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData
      TCP C6120664 9C40 C6120601 0050 C612060B 0050 ESTABLISHED     899
      TCP C6120664 9C41 C6120601 0050 C612060C 0050 TIME_WAIT        61
      TCP C6120665 9C42 C6120699 0050 C612060C 0050 ESTABLISHED     899
      """;

  static ApiServer api;
  static Path kubeconfig;
  static Agent agent;
  static int agentPort;

  @BeforeAll
  static void setUp(@TempDir Path dir) throws Exception {
    api = ApiServer.shared();
    for (String ns : List.of(NS, "ns")) {
      api.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .createOr(x -> x.update());
    }
    for (String sa : List.of("default", "viewer", "stranger", "lister")) {
      api.admin.serviceAccounts().inNamespace(NS)
          .resource(new ServiceAccountBuilder().withNewMetadata().withName(sa).endMetadata().build()).createOr(x -> x.update());
    }
    installVirtualServiceCrd();
    Map<String, List<PolicyRule>> rules = viewerRules();
    api.admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("plugin-viewer")
        .endMetadata().withRules(rules.get("clusterRules")).build()).create();
    api.admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
        .withName("plugin-viewer").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "plugin-viewer")
        .addNewSubject().withKind("ServiceAccount").withName("viewer").withNamespace(NS).endSubject().build()).create();
    role("plugin-viewer", rules.get("namespaceRules"), "viewer");
    // may find the agents but not reach them
    role("plugin-lister", List.of(rules.get("namespaceRules").get(0)), "lister");

    agentPort = freePort();
    create(api.admin, "plugin-a", spec("plugin-a", "198.18.6.1", "198.18.6.11", "198.18.6.12"));
    agent = new Agent(new AgentConfig("plugin-a", dir, Duration.ofSeconds(1), agentPort, Duration.ofSeconds(30)),
        api.agentApi(), new KernelClients(new InMemoryKernel(), new InMemoryKernel(), new InMemoryKernel()),
        OwnershipStore.inMemory(), SnatProgrammer.NONE, MarkProgrammer.NONE,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC(), () -> ProcConnections.parse(TABLE));
    agent.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.loop().lastOutcome().isPresent()
        && !agent.loop().lastOutcome().get().observed().isEmpty());
    agentPod("lvs-agent-a", "plugin-a", agentPort);
    agentPod("lvs-agent-b", "plugin-b", freePort()); // nothing listens there
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, api.server.kubeconfigYaml());
  }

  @AfterAll
  static void tearDown() {
    if (agent != null) {
      agent.close();
    }
  }

  static Map<String, List<PolicyRule>> viewerRules() throws Exception {
    try (InputStream in = KubectlLvsPluginApiServerTest.class.getResourceAsStream("/rbac/viewer-rules.yaml")) {
      return new KubernetesSerialization().unmarshal(in, new TypeReference<Map<String, List<PolicyRule>>>() {});
    }
  }

  static void role(String name, List<PolicyRule> rules, String sa) {
    api.admin.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName(name).endMetadata()
        .withRules(rules).build()).create();
    api.admin.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata().withName(name)
        .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
        .addNewSubject().withKind("ServiceAccount").withName(sa).withNamespace(NS).endSubject().build()).create();
  }

  static void installCrd(String file) throws Exception {
    try (InputStream in = KubectlLvsPluginApiServerTest.class.getResourceAsStream("/io/lvs/api/crds/" + file)) {
      CustomResourceDefinition d = api.admin.apiextensions().v1().customResourceDefinitions().load(in).item();
      api.admin.apiextensions().v1().customResourceDefinitions().resource(d).createOr(x -> x.update());
      api.admin.apiextensions().v1().customResourceDefinitions().withName(d.getMetadata().getName())
          .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
              && c.getStatus().getConditions().stream()
                  .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")), 30, TimeUnit.SECONDS);
    }
  }

  static void installVirtualServiceCrd() throws Exception {
    installCrd("virtualservices.lvs.io-v1.yml");
    installCrd("realserverpools.lvs.io-v1.yml");
    HasMetadata pool = new GenericKubernetesResourceBuilder().withApiVersion("lvs.io/v1alpha1").withKind("RealServerPool")
        .withNewMetadata().withName("web").withNamespace("ns").endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("static", List.of(Map.of("address", "198.18.6.11", "port", 80),
            Map.of("address", "198.18.6.12", "port", 80)))))
        .build();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> api.admin.resource(pool).createOr(x -> x.update()) != null);
    // the status the operator would write: one member failing on one director
    api.admin.genericKubernetesResources("lvs.io/v1alpha1", "RealServerPool").inNamespace("ns").withName("web")
        .editStatus(x -> {
          x.setAdditionalProperty("status", Map.of("members", List.of(
              Map.of("address", "198.18.6.11", "port", 80, "health", "Healthy", "directors", List.of(
                  Map.of("node", "plugin-a", "health", "Healthy", "since", "2026-12-03T10:00:00Z"))),
              Map.of("address", "198.18.6.12", "port", 80, "health", "Unhealthy", "directors", List.of(
                  Map.of("node", "plugin-a", "health", "Unhealthy", "since", "2026-12-03T10:05:00Z",
                      "lastError", "connect timed out"))))));
          return x;
        });
    HasMetadata vs = new GenericKubernetesResourceBuilder().withApiVersion("lvs.io/v1alpha1").withKind("VirtualService")
        .withNewMetadata().withName("web").withNamespace("ns").endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("vip", "198.18.6.1", "ports", List.of(Map.of("port", 80)),
            "forwarding", "DirectRouting", "realServerPoolRef", Map.of("name", "web"),
            "directors", Map.of("nodeSelector", Map.of("lvs.io/director", "true")))))
        .build();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> api.admin.resource(vs).createOr(x -> x.update()) != null);
  }

  /** The agent's DaemonSet pod as the API server would hold it (no kubelet here: status set by hand). */
  static void agentPod(String name, String node, int port) {
    Pod p = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
        .addToLabels("app.kubernetes.io/component", "node-agent").endMetadata()
        .withNewSpec().withNodeName(node).withHostNetwork(true).withAutomountServiceAccountToken(false)
        .addNewContainer().withName("node-agent").withImage("lvs-node-agent").addNewPort().withName("http")
        .withContainerPort(port).endPort().endContainer().endSpec().build();
    api.admin.pods().inNamespace(NS).resource(p).create();
    api.admin.pods().inNamespace(NS).withName(name).editStatus(x -> new PodBuilder(x)
        .withStatus(new PodStatusBuilder().withPhase("Running").withPodIP("0.0.0.0").build()).build());
  }

  record Run(int exit, String out, String err) {}

  static Run plugin(String as, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", Path.of("..", "bin", "kubectl-lvs").toString(),
        "--kubeconfig", kubeconfig.toString(), "--agent-namespace", NS));
    if (as != null) {
      cmd.addAll(List.of("--as", as));
    }
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("KUBECTL", System.getProperty("user.home") + "/.kubeapitest/k8s/1.20.2-linux-amd64/kubectl");
    pb.redirectError(ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    System.out.println("kubectl lvs " + String.join(" ", args) + " as " + as + " -> " + p.exitValue() + "\n" + out + err);
    return new Run(p.exitValue(), out, err);
  }

  static String direct(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agentPort + path))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** One node's section of the plugin's output (after its header, up to the next one). */
  static String section(String out, String node) {
    int start = out.indexOf("== node " + node + " ");
    assertThat(start).as(out).isNotNegative();
    String rest = out.substring(out.indexOf('\n', start) + 1);
    int next = rest.indexOf("== node ");
    return next < 0 ? rest : rest.substring(0, next);
  }

  @Test
  void aViewerSeesEachAgentsServicesAsTheAgentServesThemAndANodeNotAnsweringIsOneLine() throws Exception {
    Run r = plugin(VIEWER, "--node", "plugin-a", "ln");
    assertThat(r.exit()).isZero();
    assertThat(section(r.out(), "plugin-a")).isEqualTo(direct("/ipvs/services?view="))
        .contains("TCP  198.18.6.1:80 rr").contains("  -> 198.18.6.12:80               Route   1 ");
    Run stats = plugin(VIEWER, "ln", "--stats", "ns/web");
    assertThat(section(stats.out(), "plugin-a")).contains("Conns   InPkts").contains("TCP  198.18.6.1:80      ");
    assertThat(section(stats.out(), "plugin-b").strip()).startsWith("agent lvs-agent-b on node plugin-b does not answer (down or restarting?): error trying to reach service:")
        .doesNotContain("\n");
    assertThat(stats.exit()).as("a node did not answer").isEqualTo(2);
  }

  @Test
  void aViewerSeesTheConnectionsOfOneVirtualService() throws Exception {
    Run r = plugin(VIEWER, "--node", "plugin-a", "lnc", "ns/web");
    assertThat(r.exit()).isZero();
    // the entry to 198.18.6.153 (0xC6120699) is another service's: not listed
    assertThat(section(r.out(), "plugin-a")).isEqualTo("""
        IPVS connection entries
        pro expire state       source             virtual            destination
        TCP 14:59  ESTABLISHED 198.18.6.100:40000 198.18.6.1:80      198.18.6.11:80
        TCP 01:01  TIME_WAIT   198.18.6.100:40001 198.18.6.1:80      198.18.6.12:80
        """);
    Run missing = plugin(VIEWER, "lnc", "ns/nothing");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err().strip()).isEqualTo(
        "kubectl-lvs: cannot read VirtualService ns/nothing: virtualservices.lvs.io \"nothing\" not found").doesNotContain("\n");
  }

  @Test
  void aViewerSeesEachMembersHealthPerDirector() throws Exception {
    Run r = plugin(VIEWER, "health", "ns/web");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("""
        MEMBER                       HEALTH     DIRECTOR: HEALTH SINCE LAST-ERROR
        198.18.6.11:80               Healthy    plugin-a=Healthy since 2026-12-03T10:00:00Z ;
        198.18.6.12:80               Unhealthy  plugin-a=Unhealthy since 2026-12-03T10:05:00Z connect timed out;
        """);
    Run stranger = plugin(STRANGER, "health", "ns/web");
    assertThat(stranger.exit()).isEqualTo(1);
    assertThat(stranger.err().strip()).startsWith("kubectl-lvs: no permission to read RealServerPool ns/web: User")
        .doesNotContain("\n");
  }

  @Test
  void withoutTheViewerRolesTheRefusalIsOneClearLine() throws Exception {
    Run stranger = plugin(STRANGER, "ln");
    assertThat(stranger.exit()).isEqualTo(1);
    assertThat(stranger.out()).isEmpty();
    assertThat(stranger.err().strip()).isEqualTo("kubectl-lvs: no permission to list the node agents (pods in namespace "
        + NS + "): User \"" + STRANGER + "\" cannot list resource \"pods\" in API group \"\" in the namespace \"" + NS
        + "\" (the chart's viewer roles grant it: rbac.viewers)");
    Run lister = plugin(LISTER, "--node", "plugin-a", "ln");
    assertThat(lister.exit()).isEqualTo(2);
    assertThat(section(lister.out(), "plugin-a").strip()).startsWith("no permission to reach agent lvs-agent-a on node "
        + "plugin-a:").contains("pods/proxy").doesNotContain("\n");
  }
}
