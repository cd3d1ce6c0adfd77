package io.lvs.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.OwnerReport;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.LvsOperator;
import io.lvs.operator.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.lvs.testsupport.Crds;
import io.lvs.testsupport.RealApiServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's own code (LvsOperator as OperatorMain wires it, leader election on) runs on the
 * real kube-apiserver as the chart's operator ServiceAccount, with only the chart's RBAC: its
 * informers start, it writes LvsNodeState, the VIP Lease, the
 * VirtualService's finalizer and status, and Events. A permission missing from the chart makes
 * one of these never happen.
 */
class OperatorUnderChartRbacApiServerTest {
  private static final String NS = "lvs-system";
  private static final ProjectFiles FILES = ProjectFiles.locate();
  private static RealApiServer server;
  private static KubernetesClient admin;
  private static KubernetesClient asOperator;
  private static LvsOperator operator;
  private static String kubeConfigYaml;

  private static KubernetesClient impersonating(String serviceAccount) {
    Config config = Config.fromKubeconfig(kubeConfigYaml);
    config.setImpersonateUsername("system:serviceaccount:" + NS + ":" + serviceAccount);
    config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + NS, "system:authenticated");
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @BeforeAll
  static void start() throws Exception {
    server = RealApiServer.start(true); // with the discovery.k8s.io/v1 EndpointSlice stand-in
    String kubeconfig = server.kubeconfigYaml();
    admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    for (String ns : List.of(NS, "team-a")) {
      admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }
    List<Path> crds = new ArrayList<>();
    try (var files = Files.list(FILES.chart().resolve("crds"))) {
      files.sorted().forEach(crds::add);
    }
    List<CustomResourceDefinition> defined = new ArrayList<>();
    for (Path p : crds) {
      try (InputStream in = Files.newInputStream(p)) {
        defined.add(admin.apiextensions().v1().customResourceDefinitions().load(in).item());
      }
    }
    Crds.create(admin, defined);
    RenderedChart chart = new ChartRenderer(FILES.chart()).render("lvs", NS, null, Map.of());
    for (HasMetadata o : chart.objects()) {
      if (o instanceof ServiceAccount || o instanceof ClusterRole || o instanceof ClusterRoleBinding
          || o instanceof Role || o instanceof RoleBinding) {
        admin.resource(o).create();
      }
    }
    Node n = admin.resource(new NodeBuilder().withNewMetadata().withName("n1")
        .withLabels(Map.of("lvs.io/director", "true")).endMetadata().build()).create();
    n.setStatus(new NodeBuilder().withNewStatus().addNewAddress().withType("InternalIP").withAddress("198.18.0.11")
        .endAddress().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build().getStatus());
    admin.nodes().resource(n).updateStatus();

    kubeConfigYaml = kubeconfig;
    asOperator = impersonating("lvs-lvs-operator-operator");
    // leader election off: JOSDK exits the JVM when a leader stops (exitOnStopLeading), which would
    // end the test fork at close(); its Lease calls (get, create, update) are RbacImpersonationApiServerTest's
    operator = new LvsOperator(asOperator, new Settings(0, false, NS, Set.of(), Duration.ofSeconds(30)),
        Clock.systemUTC(), new SimpleMeterRegistry());
    operator.start();
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    for (KubernetesClient c : new KubernetesClient[] {asOperator, admin}) {
      if (c != null) {
        c.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theNatExampleIsPlannedWithOnlyTheChartsPermissions() throws Exception {
    try (InputStream in = Files.newInputStream(FILES.root().resolve("docs/examples/nat-wrr.yaml"))) {
      for (HasMetadata o : admin.load(in).items()) {
        o.getMetadata().setNamespace("team-a");
        admin.resource(o).create();
      }
    }
    Duration wait = Duration.ofSeconds(45);
    await("a slice of node n1 written by the operator").atMost(wait).untilAsserted(() ->
        assertThat(sliceOf(admin, "n1", "team-a/web-nat")).isNotNull());
    await("VIP Lease").atMost(wait).untilAsserted(() -> assertThat(admin.leases().inNamespace(NS).list().getItems())
        .extracting(l -> l.getMetadata().getName()).contains("lvs-vip-198-18-0-101"));
    await("finalizer and status on the VirtualService").atMost(wait).untilAsserted(() -> {
      VirtualService vs = admin.resources(VirtualService.class).inNamespace("team-a").withName("web-nat").get();
      assertThat(vs.getMetadata().getFinalizers()).isNotEmpty();
      assertThat(vs.getStatus()).isNotNull();
      assertThat(vs.getStatus().conditions()).isNotEmpty();
    });
    await("status on the RealServerPool").atMost(wait).untilAsserted(() ->
        assertThat(admin.resources(RealServerPool.class).inNamespace("team-a").withName("web-nat").get().getStatus()).isNotNull());
    // the node's agent reports the service programmed, as the chart's agent ServiceAccount and with
    // the calls it makes: list its slices by label (the watcher), PUT the status subresource
    try (KubernetesClient asAgent = impersonating("lvs-lvs-operator-node-agent")) {
      LvsNodeState st = sliceOf(asAgent, "n1", "team-a/web-nat");
      st.setStatus(new LvsNodeStateStatus(st.getMetadata().getGeneration(), null, null,
          List.of(new OwnerReport("team-a/web-nat", true, null)), null));
      asAgent.resources(LvsNodeState.class).resource(st).updateStatus();
    }
    await("the Programmed Event the operator records").atMost(wait).untilAsserted(() ->
        assertThat(admin.v1().events().inNamespace("team-a").list().getItems()).isNotEmpty());
  }

  /** The slice of {@code node} (by label and spec.nodeName, as the agent finds them) that holds {@code owner}'s services. */
  private static LvsNodeState sliceOf(KubernetesClient c, String node, String owner) {
    return c.resources(LvsNodeState.class).withLabel(NodeSlices.NODE_LABEL, NodeSlices.labelValue(node)).list().getItems()
        .stream()
        .filter(s -> node.equals(NodeSlices.nodeOf(s)) && s.getSpec().services() != null
            && s.getSpec().services().stream().anyMatch(e -> owner.equals(e.owner())))
        .findFirst().orElse(null);
  }
}
