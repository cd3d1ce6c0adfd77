package io.lvs.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lvs.api.slices.NodeSlices;
import io.lvs.testsupport.Crds;
import io.lvs.testsupport.RealApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC on a real kube-apiserver (1.20.2, RBAC authorizer): the chart is installed with
 * Helm (helm-java, rendered for this cluster's capabilities), then each ServiceAccount is impersonated. The calls the code makes succeed;
 * a sample of calls it must not be able to make are refused with 403.
 *
 * <p>RBAC runs before the object is looked up, so for objects whose schema belongs to another
 * module (VirtualService, RealServerPool) an allowed call on a missing object answers 404 and a
 * refused one 403: that distinguishes them without building valid specs here.
 *
 * <p>The server is test-support's {@link RealApiServer}.
 */
class RbacImpersonationApiServerTest {
  private static final String NS = "lvs-system";
  private static final String OPERATOR_SA = "system:serviceaccount:" + NS + ":lvs-lvs-operator-operator";
  private static final String AGENT_SA = "system:serviceaccount:" + NS + ":lvs-lvs-operator-node-agent";
  private static final ResourceDefinitionContext VS = crd("virtualservices", "VirtualService", true);
  private static final ResourceDefinitionContext RSP = crd("realserverpools", "RealServerPool", true);
  private static final ResourceDefinitionContext NODE_STATE = crd("lvsnodestates", "LvsNodeState", false);

  private static RealApiServer server;
  private static String kubeConfigYaml;

  private static Release release;
  private static KubernetesClient admin;
  private static KubernetesClient operator;
  private static KubernetesClient agent;

  @BeforeAll
  static void installCrdsAndChart() {
    server = RealApiServer.start(false); // v1beta1 EndpointSlices: what the chart's rule is proven on
    kubeConfigYaml = server.kubeconfigYaml();
    admin = client(null);
    for (String ns : List.of(NS, "team-a")) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }
    Crds.create(admin, crds());
    // `helm install` as a user runs it: rendered with this cluster's capabilities (the PDB as
    // policy/v1beta1 on 1.20; the CRDs above already exist, Helm skips them), every object created
    // and so validated by the real server
    release = new Helm(ProjectFiles.locate().chart()).install().withName("lvs").withNamespace(NS)
        .withKubeConfigContents(kubeConfigYaml).call();
    admin.secrets().inNamespace("team-a").resource(new SecretBuilder().withNewMetadata().withName("db")
        .endMetadata().addToStringData("password", "x").build()).create();
    admin.genericKubernetesResources(NODE_STATE).resource(nodeState("node-a")).create();
    admin.genericKubernetesResources(NODE_STATE).resource(nodeState("node-b")).create();
    operator = client(OPERATOR_SA);
    agent = client(AGENT_SA);
  }

  @AfterAll
  static void close() {
    for (KubernetesClient c : new KubernetesClient[] {operator, agent, admin}) {
      if (c != null) {
        c.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void helmInstallsTheChartOnKubernetes120WithThePdbAsPolicyV1beta1() {
    assertThat(release.getStatus()).isEqualTo("deployed");
    // 1.20 has no policy/v1: the install succeeding with a PDB means the chart chose v1beta1
    assertThat(admin.getApiGroup("policy").getVersions()).extracting(v -> v.getVersion()).doesNotContain("v1");
    assertThat(admin.policy().v1beta1().podDisruptionBudget().inNamespace(NS).list().getItems())
        .singleElement().satisfies(p -> assertThat(p.getSpec().getMinAvailable().getIntVal()).isEqualTo(1));
    assertThat(admin.apps().deployments().inNamespace(NS).list().getItems()).hasSize(1);
    assertThat(admin.apps().daemonSets().inNamespace(NS).list().getItems()).hasSize(1);
  }

  // ---- operator: what its informers and writes need ----

  @Test
  void operatorWatchesItsPrimariesAndWhatResolutionReads() {
    assertThat(operator.genericKubernetesResources(VS).inAnyNamespace().list().getItems()).isEmpty();
    assertThat(operator.genericKubernetesResources(RSP).inAnyNamespace().list().getItems()).isEmpty();
    assertThat(operator.pods().inAnyNamespace().list()).isNotNull();
    assertThat(operator.nodes().list()).isNotNull();
    assertThat(operator.genericKubernetesResources(NODE_STATE).list().getItems()).hasSizeGreaterThanOrEqualTo(2);
    // discovery.k8s.io/v1 is served from 1.21; the rule names the group, so v1beta1 proves it here
    assertThat(operator.discovery().v1beta1().endpointSlices().inAnyNamespace().list()).isNotNull();
    watchAllowed(operator, VS);
    watchAllowed(operator, RSP);
    watchAllowed(operator, NODE_STATE);
  }

  @Test
  void operatorWritesStatusAndFinalizersOfPrimaries() {
    String vs = "/apis/lvs.io/v1alpha1/namespaces/team-a/virtualservices/missing";
    String rsp = "/apis/lvs.io/v1alpha1/namespaces/team-a/realserverpools/missing";
    String status = "{\"status\":{\"observedGeneration\":1}}";
    String finalizer = "{\"metadata\":{\"finalizers\":[\"lvs.io/cleanup\"]}}";
    String put = "{\"apiVersion\":\"lvs.io/v1alpha1\",\"kind\":\"VirtualService\",\"metadata\":{\"name\":\"missing\",\"namespace\":\"team-a\"}}";
    allowed(operator, "PATCH", vs + "/status", status);
    forbidden(operator, "PUT", vs + "/status", put);
    allowed(operator, "PATCH", rsp + "/status", status);
    allowed(operator, "PATCH", vs, finalizer);
    allowed(operator, "PATCH", rsp, finalizer);
    forbidden(operator, "PUT", vs, put);
  }

  @Test
  void operatorOwnsTheSpecOfNodeObjects() {
    GenericKubernetesResource created = operator.genericKubernetesResources(NODE_STATE).resource(nodeState("node-c")).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(new RawApi(operator).call("PATCH", "/apis/lvs.io/v1alpha1/lvsnodestates/node-c",
        "{\"spec\":{\"nodeName\":\"node-c\",\"services\":[]}}")).isEqualTo(200);
    assertThat(new RawApi(operator).call("DELETE", "/apis/lvs.io/v1alpha1/lvsnodestates/node-c", null)).isEqualTo(200);
  }

  @Test
  void operatorLeasesAndEvents() {
    operator.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName("lvs-operator-leader")
        .endMetadata().withNewSpec().withHolderIdentity("pod-1").withLeaseDurationSeconds(15)
        .withAcquireTime(ZonedDateTime.now()).endSpec().build()).create();
    operator.leases().inNamespace(NS).withName("lvs-operator-leader").edit(l -> {
      l.getSpec().setHolderIdentity("pod-2");
      return l;
    });
    assertThat(operator.leases().inNamespace(NS).list().getItems()).hasSize(1);
    // the ha-leases informer: list and watch the agents' HA VIP Leases
    allowed(operator, "GET", "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases?labelSelector=lvs.io%2Frole%3Dha-vip", null);
    try (Watch w = operator.leases().inNamespace(NS).withLabel("lvs.io/role", "ha-vip").watch(new LeaseWatcher())) {
      assertThat(w).isNotNull();
    }
    forbidden(operator, "GET", "/apis/coordination.k8s.io/v1/namespaces/team-a/leases?watch=true", null);
    allowed(operator, "PATCH", "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/vip-198-18-0-10",
        "{\"spec\":{\"holderIdentity\":\"node-a\"}}");
    allowed(operator, "DELETE", "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/vip-198-18-0-10", null);
    operator.v1().events().inNamespace("team-a").resource(new EventBuilder()
        .withNewMetadata().withName("vs.1").endMetadata().withReason("Programmed").withMessage("3/3 nodes")
        .withType("Normal").withNewInvolvedObject().withKind("VirtualService").withNamespace("team-a")
        .withName("web").endInvolvedObject().build()).create();
    forbidden(operator, "PATCH", "/api/v1/namespaces/team-a/events/vs.1", "{\"count\":2}");
  }

  @Test
  void operatorPublishesDnsNamesAsServicesAndEndpointSlices() {
    // publishService: get (ownership check), server-side apply (patch, create), delete
    for (String path : List.of("/api/v1/namespaces/team-a/services/s",
        "/apis/discovery.k8s.io/v1beta1/namespaces/team-a/endpointslices/s")) {
      allowed(operator, "GET", path, null);
      allowed(operator, "PATCH", path, "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
      allowed(operator, "DELETE", path, null);
    }
    allowed(operator, "POST", "/api/v1/namespaces/team-a/services",
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"},"
            + "\"spec\":{\"clusterIP\":\"None\",\"ports\":[{\"port\":80}]}}");
  }

  @Test
  void operatorIsRefusedEverythingElse() {
    forbidden(operator, "GET", "/api/v1/namespaces/team-a/secrets/db", null);
    forbidden(operator, "GET", "/api/v1/secrets", null);
    forbidden(operator, "GET", "/api/v1/namespaces/" + NS + "/configmaps", null);
    forbidden(operator, "GET", "/apis/coordination.k8s.io/v1/namespaces/team-a/leases", null);
    forbidden(operator, "GET", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager", null);
    forbidden(operator, "DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/virtualservices.lvs.io", null);
    forbidden(operator, "DELETE", "/apis/lvs.io/v1alpha1/namespaces/team-a/virtualservices/web", null);
    forbidden(operator, "POST", "/apis/lvs.io/v1alpha1/namespaces/team-a/virtualservices",
        "{\"apiVersion\":\"lvs.io/v1alpha1\",\"kind\":\"VirtualService\",\"metadata\":{\"name\":\"x\"}}");
    forbidden(operator, "DELETE", "/api/v1/namespaces/team-a/pods/p", null);
    forbidden(operator, "PATCH", "/api/v1/nodes/node-a", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
    forbidden(operator, "PUT", "/api/v1/namespaces/team-a/services/s",
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"s\"}}");
    forbidden(operator, "PUT", "/apis/discovery.k8s.io/v1beta1/namespaces/team-a/endpointslices/s", "{}");
    forbidden(operator, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles", null);
    forbidden(operator, "GET", "/api/v1/namespaces/team-a/pods/web-0", null); // informers list, they do not get
    forbidden(operator, "DELETE", "/api/v1/namespaces/team-a/events/vs.1", null);
  }

  // ---- agent: its node's slices, status only ----

  @Test
  void agentWatchesItsNodesSlicesAndWritesTheirStatus() {
    assertThat(agent.genericKubernetesResources(NODE_STATE).withName("node-a").get()).isNotNull();
    // the agent's informer: list and watch by the node label (NodeSlices), as NodeStateWatcher does
    assertThat(agent.genericKubernetesResources(NODE_STATE).withLabel(NodeSlices.NODE_LABEL, NodeSlices.labelValue("node-a"))
        .list().getItems())
        .singleElement().satisfies(o -> assertThat(o.getMetadata().getName()).isEqualTo("node-a"));
    try (Watch w = agent.genericKubernetesResources(NODE_STATE).withLabel(NodeSlices.NODE_LABEL, NodeSlices.labelValue("node-a"))
        .watch(new NoopWatcher())) {
      assertThat(w).isNotNull();
    }
    GenericKubernetesResource current = agent.genericKubernetesResources(NODE_STATE).withName("node-a").get();
    assertThat(new RawApi(agent).call("PUT", "/apis/lvs.io/v1alpha1/lvsnodestates/node-a/status",
        Serialization.asJson(current))).isEqualTo(200);
  }

  @Test
  void agentElectsHaVipHoldersThroughLeasesInTheReleaseNamespace() {
    // as VipLeaseClient does: get, create, a JSON merge patch on the version read; and a PUT
    String path = "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/lvs-ha-vip-198-18-0-20";
    allowed(agent, "GET", path, null);
    agent.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName("lvs-ha-vip-198-18-0-20")
        .addToLabels("lvs.io/role", "ha-vip").endMetadata().withNewSpec().withHolderIdentity("node-a")
        .withLeaseDurationSeconds(3).endSpec().build()).create();
    String version = agent.leases().inNamespace(NS).withName("lvs-ha-vip-198-18-0-20").get().getMetadata().getResourceVersion();
    assertThat(new RawApi(agent).call("PATCH", path, "{\"metadata\":{\"resourceVersion\":\"" + version
        + "\",\"annotations\":{\"lvs.io/failover-reason\":\"HolderLost\"}},\"spec\":{\"holderIdentity\":\"node-b\"}}"))
        .isEqualTo(200);
    var current = agent.leases().inNamespace(NS).withName("lvs-ha-vip-198-18-0-20").get();
    assertThat(current.getSpec().getHolderIdentity()).isEqualTo("node-b");
    current.getSpec().setHolderIdentity("node-a");
    assertThat(new RawApi(agent).call("PUT", path, Serialization.asJson(current))).isEqualTo(200);
    assertThat(admin.leases().inNamespace(NS).withName("lvs-ha-vip-198-18-0-20").get().getSpec().getHolderIdentity())
        .isEqualTo("node-a");
  }

  @Test
  void agentIsRefusedTheSpecCreationDeletionAndEverythingElse() {
    String node = "/apis/lvs.io/v1alpha1/lvsnodestates/node-a";
    forbidden(agent, "PATCH", node, "{\"spec\":{\"services\":[]}}");
    forbidden(agent, "PATCH", node + "/status", "{\"status\":{}}"); // the agent PUTs its status
    forbidden(agent, "PUT", node, Serialization.asJson(admin.genericKubernetesResources(NODE_STATE).withName("node-a").get()));
    forbidden(agent, "DELETE", node, null);
    forbidden(agent, "POST", "/apis/lvs.io/v1alpha1/lvsnodestates", Serialization.asJson(nodeState("node-z")));
    forbidden(agent, "DELETE", "/apis/lvs.io/v1alpha1/lvsnodestates", null); // deletecollection
    forbidden(agent, "GET", "/apis/lvs.io/v1alpha1/virtualservices", null);
    forbidden(agent, "GET", "/apis/lvs.io/v1alpha1/realserverpools", null);
    forbidden(agent, "GET", "/api/v1/namespaces/team-a/secrets/db", null);
    forbidden(agent, "GET", "/api/v1/namespaces/" + NS + "/secrets", null);
    forbidden(agent, "GET", "/api/v1/pods", null);
    forbidden(agent, "GET", "/api/v1/nodes", null);
    forbidden(agent, "GET", "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases", null); // no list
    forbidden(agent, "GET", "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases?watch=true", null);
    forbidden(agent, "DELETE", "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases/lvs-ha-vip-198-18-0-10", null);
    forbidden(agent, "GET", "/apis/coordination.k8s.io/v1/namespaces/team-a/leases/lvs-ha-vip-198-18-0-10", null);
    forbidden(agent, "POST", "/apis/coordination.k8s.io/v1/namespaces/team-a/leases", "{}");
    forbidden(agent, "POST", "/api/v1/namespaces/" + NS + "/events", "{}");
    forbidden(agent, "DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/lvsnodestates.lvs.io", null);
  }

  /**
   * Documents a limit (docs/operations.md): RBAC cannot scope an agent to its own node's slices,
   * so another node's slice is readable, and its status writable, by any agent's ServiceAccount.
   * The agent's code watches only the slices labelled lvs.io/node=$NODE_NAME whose spec.nodeName
   * is its node.
   */
  @Test
  void rbacCannotConfineAnAgentToItsOwnNodeObject() {
    assertThat(agent.genericKubernetesResources(NODE_STATE).withName("node-b").get()).isNotNull();
    assertThat(agent.genericKubernetesResources(NODE_STATE).list().getItems()).hasSizeGreaterThanOrEqualTo(2);
    GenericKubernetesResource other = agent.genericKubernetesResources(NODE_STATE).withName("node-b").get();
    assertThat(new RawApi(agent).call("PUT", "/apis/lvs.io/v1alpha1/lvsnodestates/node-b/status", Serialization.asJson(other)))
        .isEqualTo(200);
  }

  // ---- helpers ----

  /** 2xx, or 404 for a missing object: RBAC let the request through (it answers 403 before any lookup). */
  private static void allowed(KubernetesClient c, String method, String path, String body) {
    int code = new RawApi(c).call(method, path, body);
    assertThat(code).as("%s %s as %s", method, path, c.getConfiguration().getImpersonateUsername())
        .isIn(200, 201, 404);
  }

  private static void forbidden(KubernetesClient c, String method, String path, String body) {
    int code = new RawApi(c).call(method, path, body);
    assertThat(code).as("%s %s as %s must be refused", method, path, c.getConfiguration().getImpersonateUsername())
        .isEqualTo(403);
  }

  private static void watchAllowed(KubernetesClient c, ResourceDefinitionContext ctx) {
    var op = ctx.isNamespaceScoped() ? c.genericKubernetesResources(ctx).inAnyNamespace() : c.genericKubernetesResources(ctx);
    try (Watch w = op.watch(new NoopWatcher())) {
      assertThat(w).isNotNull();
    }
  }

  private static final class LeaseWatcher implements Watcher<io.fabric8.kubernetes.api.model.coordination.v1.Lease> {
    @Override
    public void eventReceived(Action action, io.fabric8.kubernetes.api.model.coordination.v1.Lease resource) {}

    @Override
    public void onClose(WatcherException cause) {}
  }

  private static final class NoopWatcher implements Watcher<GenericKubernetesResource> {
    @Override
    public void eventReceived(Action action, GenericKubernetesResource resource) {}

    @Override
    public void onClose(WatcherException cause) {}
  }

  private static GenericKubernetesResource nodeState(String node) {
    return new GenericKubernetesResourceBuilder().withApiVersion("lvs.io/v1alpha1").withKind("LvsNodeState")
        .withNewMetadata().withName(node).addToLabels(NodeSlices.NODE_LABEL, NodeSlices.labelValue(node)).endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("nodeName", node))).build();
  }

  private static ResourceDefinitionContext crd(String plural, String kind, boolean namespaced) {
    return new ResourceDefinitionContext.Builder().withGroup("lvs.io").withVersion("v1alpha1")
        .withPlural(plural).withKind(kind).withNamespaced(namespaced).build();
  }

  /** The chart's CRDs when helm-chart/crds is filled, else the ones generated into the crds jar. */
  private static List<CustomResourceDefinition> crds() {
    Map<String, String> chart = ChartCrdsTest.crdsUnder(ProjectFiles.locate().chart().resolve("crds"));
    List<String> texts = new ArrayList<>(chart.values());
    if (texts.isEmpty()) {
      for (String plural : List.of("virtualservices", "realserverpools", "lvsnodestates", "lvsnodeconfigs")) {
        try (InputStream in = RbacImpersonationApiServerTest.class.getResourceAsStream("/META-INF/fabric8/" + plural + ".lvs.io-v1.yml")) {
          if (in == null) {
            throw new AssertionError("generated CRD " + plural + ".lvs.io not on the classpath (crds module)");
          }
          texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return texts.stream().map(t -> Serialization.unmarshal(t, CustomResourceDefinition.class)).toList();
  }

  private static KubernetesClient client(String impersonate) {
    Config config = Config.fromKubeconfig(kubeConfigYaml);
    if (impersonate != null) {
      config.setImpersonateUsername(impersonate);
      config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + NS, "system:authenticated");
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
