package io.lvs.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Renders the chart over several values sets and checks what a platform engineer relies on. */
class ChartRenderTest {
  private static final ProjectFiles FILES = ProjectFiles.locate();
  private static final ChartRenderer RENDERER = new ChartRenderer(FILES.chart());

  /** One row of the table: how the chart is installed and what must come out. */
  record Case(String name, String release, String namespace, Map<String, Object> sets, Expect expect) {
    @Override
    public String toString() {
      return name;
    }
  }

  record Expect(String operatorImage, String agentImage, int replicas, boolean privileged,
      Map<String, String> agentNodeSelector, int serviceMonitors, int podMonitors, boolean networkPolicy,
      String prefix) {}

  static Stream<Case> cases() throws Exception {
    String v = chartAppVersion();
    return Stream.of(
        new Case("defaults", "lvs", "lvs-system", Map.of(),
            new Expect("lvs-operator/lvs-operator:" + v, "lvs-operator/lvs-node-agent:" + v, 2, true,
                Map.of("kubernetes.io/os", "linux"), 0, 0, false, "lvs-lvs-operator")),
        new Case("monitoring on", "lb", "lvs-system", sets(
                "monitoring.serviceMonitor.enabled", true, "monitoring.podMonitor.enabled", true,
                "networkPolicy.enabled", true, "networkPolicy.apiServerCidrs[0]", "10.96.0.1/32"),
            new Expect("lvs-operator/lvs-operator:" + v, "lvs-operator/lvs-node-agent:" + v, 2, true,
                Map.of("kubernetes.io/os", "linux"), 2, 2, true, "lb-lvs-operator")),
        new Case("custom namespace and image", "edge", "edge-lb", sets(
                "image.registry", "registry.example.com/",
                "operator.image.tag", "1.2.3",
                "agent.image.repository", "mirror/lvs-agent",
                "agent.image.digest", "sha256:" + "ab".repeat(32),
                "operator.replicas", 1),
            new Expect("registry.example.com/lvs-operator/lvs-operator:1.2.3",
                "registry.example.com/mirror/lvs-agent@sha256:" + "ab".repeat(32), 1, true,
                Map.of("kubernetes.io/os", "linux"), 0, 0, false, "edge-lvs-operator")),
        new Case("agent on selected nodes, capabilities only", "lvs", "lvs-system", sets(
                "agent.nodeSelector.lvs\\.io/role", "director",
                "agent.privileged", false,
                "agent.resyncSeconds", 30,
                "agent.resyncFullReadEvery", 1),
            new Expect("lvs-operator/lvs-operator:" + v, "lvs-operator/lvs-node-agent:" + v, 2, false,
                Map.of("kubernetes.io/os", "linux", "lvs.io/role", "director"), 0, 0, false,
                "lvs-lvs-operator")));
  }

  private static Map<String, Object> sets(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void lintIsCleanInStrictMode() {
    LintResult lint = new Helm(FILES.chart()).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
  }

  @Test
  void appVersionIsTheMavenProjectVersionTheImagesAreTaggedWith() throws Exception {
    String pom = Files.readString(FILES.root().resolve("pom.xml"));
    Matcher m = Pattern.compile("<artifactId>lvs-operator-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertThat(m.find()).isTrue();
    assertThat(chartAppVersion()).isEqualTo(m.group(1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void operatorDeployment(Case c) {
    RenderedChart r = RENDERER.render(c.release(), c.namespace(), null, c.sets());
    Deployment d = r.one(Deployment.class, c.expect().prefix() + "-operator");
    assertThat(d.getSpec().getReplicas()).isEqualTo(c.expect().replicas());
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(c.expect().prefix() + "-operator");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Container op = single(pod.getContainers());
    assertThat(op.getImage()).isEqualTo(c.expect().operatorImage());
    assertThat(op.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(op.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(op.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(op.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(op.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(op.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(op.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(op.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(op.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getContainerPort()).isEqualTo(9710);
    });
    assertThat(op.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(op.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(op.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(env(op, "LVS_HTTP_PORT").getValue()).isEqualTo("9710");
    assertThat(env(op, "LVS_LEADER_ELECTION").getValue()).isEqualTo("true");
    assertThat(env(op, "LVS_NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    assertThat(op.getEnv()).extracting(EnvVar::getName).doesNotContain("LVS_WATCH_NAMESPACES");
    // read-only root: the JVM's /tmp is an emptyDir
    assertThat(op.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));

    List<PodDisruptionBudget> pdbs = r.all(PodDisruptionBudget.class);
    if (c.expect().replicas() > 1) {
      assertThat(pdbs).singleElement().satisfies(p -> {
        // helm template knows the newest APIs; on 1.20 (policy/v1beta1 only) see RbacImpersonationTest
        assertThat(p.getApiVersion()).isEqualTo("policy/v1");
        assertThat(p.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(p.getSpec().getSelector().getMatchLabels())
            .isEqualTo(d.getSpec().getSelector().getMatchLabels());
      });
    } else {
      assertThat(pdbs).as("a PDB with minAvailable=1 over one replica would block every drain").isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void agentDaemonSet(Case c) {
    RenderedChart r = RENDERER.render(c.release(), c.namespace(), null, c.sets());
    DaemonSet ds = r.one(DaemonSet.class, c.expect().prefix() + "-node-agent");
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod.getServiceAccountName()).isEqualTo(c.expect().prefix() + "-node-agent");
    assertThat(pod.getNodeSelector()).isEqualTo(c.expect().agentNodeSelector());
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
      assertThat(t.getOperator()).isEqualTo("Exists");
      assertThat(t.getKey()).isNull();
      assertThat(t.getEffect()).isNull();
    });
    assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(1);

    Container agent = single(pod.getContainers());
    assertThat(agent.getImage()).isEqualTo(c.expect().agentImage());
    assertThat(env(agent, "NODE_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    assertThat(env(agent, "LVS_STATE_DIR").getValue()).isEqualTo("/var/lib/lvs-agent");
    assertThat(env(agent, "LVS_HTTP_PORT").getValue()).isEqualTo("9720");
    // HA directors: their Leases in the release namespace, heartbeats on UDP 9721, sync id 0
    assertThat(env(agent, "LVS_NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    assertThat(env(agent, "LVS_HA_PORT").getValue()).isEqualTo("9721");
    assertThat(env(agent, "LVS_SYNC_ID").getValue()).isEqualTo("0");
    assertThat(agent.getEnv()).noneMatch(e -> e.getName().equals("LVS_SYNC_INTERFACE"));
    assertThat(env(agent, "LVS_RESYNC_SECONDS").getValue())
        .isEqualTo(String.valueOf(c.sets().getOrDefault("agent.resyncSeconds", 10)));
    assertThat(env(agent, "LVS_RESYNC_FULL_READ_EVERY").getValue())
        .isEqualTo(String.valueOf(c.sets().getOrDefault("agent.resyncFullReadEvery", 8)));
    assertThat(agent.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(agent.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(agent.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9720));
    assertThat(agent.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(agent.getResources().getLimits()).containsKeys("cpu", "memory");
    if (c.expect().privileged()) {
      assertThat(agent.getSecurityContext().getPrivileged()).isTrue();
    } else {
      assertThat(agent.getSecurityContext().getPrivileged()).isFalse();
      assertThat(agent.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(agent.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(agent.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN");
    }
    // the ownership ledger is on the host, at the path the agent is told
    assertThat(pod.getVolumes()).anySatisfy(v -> {
      assertThat(v.getHostPath()).isNotNull();
      assertThat(v.getHostPath().getPath()).isEqualTo("/var/lib/lvs-agent");
      assertThat(v.getHostPath().getType()).isEqualTo("DirectoryOrCreate");
      assertThat(agent.getVolumeMounts()).anySatisfy(m -> {
        assertThat(m.getName()).isEqualTo(v.getName());
        assertThat(m.getMountPath()).isEqualTo("/var/lib/lvs-agent");
      });
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void accountsBindingsAndOptionalObjects(Case c) {
    RenderedChart r = RENDERER.render(c.release(), c.namespace(), null, c.sets());
    for (HasMetadata o : r.objects()) {
      boolean clusterScoped = o instanceof ClusterRole || o instanceof ClusterRoleBinding;
      assertThat(o.getMetadata().getNamespace()).as("namespace of %s/%s", o.getKind(), o.getMetadata().getName())
          .isEqualTo(clusterScoped ? null : c.namespace());
      assertThat(o.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", c.release());
    }
    assertThat(r.all(ServiceAccount.class)).extracting(sa -> sa.getMetadata().getName())
        .containsExactlyInAnyOrder(c.expect().prefix() + "-operator", c.expect().prefix() + "-node-agent");
    assertThat(r.all(ClusterRoleBinding.class)).hasSize(2).allSatisfy(b ->
        assertThat(b.getSubjects()).singleElement().satisfies(s -> {
          assertThat(s.getKind()).isEqualTo("ServiceAccount");
          assertThat(s.getNamespace()).isEqualTo(c.namespace());
        }));
    // the operator's Role, the agents' (HA VIP Leases) and the viewers' (bound only when rbac.viewers lists someone)
    assertThat(r.all(Role.class)).extracting(x -> x.getMetadata().getName())
        .containsExactlyInAnyOrder(c.expect().prefix() + "-operator", c.expect().prefix() + "-node-agent",
            c.expect().prefix() + "-viewer");
    assertThat(r.all(RoleBinding.class)).extracting(x -> x.getMetadata().getName())
        .containsExactlyInAnyOrder(c.expect().prefix() + "-operator", c.expect().prefix() + "-node-agent");
    assertThat(r.ofKind("ServiceMonitor")).hasSize(c.expect().serviceMonitors());
    assertThat(r.ofKind("PodMonitor")).hasSize(c.expect().podMonitors());
    assertThat(r.ofKind("Namespace")).isEmpty();
    assertThat(r.all(Service.class)).extracting(s -> s.getSpec().getPorts().get(0).getPort())
        .containsExactlyInAnyOrder(9710, 9720);
    List<NetworkPolicy> policies = r.all(NetworkPolicy.class);
    if (c.expect().networkPolicy()) {
      assertThat(policies).singleElement().satisfies(np -> {
        assertThat(np.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(np.getSpec().getIngress()).singleElement()
            .satisfies(i -> assertThat(i.getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(9710)));
        assertThat(np.getSpec().getEgress()).anySatisfy(e ->
            assertThat(e.getTo()).singleElement().satisfies(t -> assertThat(t.getIpBlock().getCidr()).isEqualTo("10.96.0.1/32")));
      });
    } else {
      assertThat(policies).isEmpty();
    }
  }

  @Test
  void namespaceTemplateCarriesPodSecurityLabelsAndIsKeptOnUninstall() {
    RenderedChart r = RENDERER.render("lvs", "lvs-system", null, Map.of("namespace.create", true));
    HasMetadata ns = single(r.ofKind("Namespace"));
    assertThat(ns.getMetadata().getName()).isEqualTo("lvs-system");
    assertThat(ns.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "privileged")
        .containsEntry("pod-security.kubernetes.io/warn", "privileged");
    assertThat(ns.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
  }

  @Test
  void watchNamespacesBecomeOneCommaSeparatedVariable() {
    RenderedChart r = RENDERER.render("lvs", "lvs-system", null,
        Map.of("operator.watchNamespaces[0]", "team-a", "operator.watchNamespaces[1]", "team-b"));
    Container op = single(r.one(Deployment.class, "lvs-lvs-operator-operator").getSpec().getTemplate().getSpec().getContainers());
    assertThat(env(op, "LVS_WATCH_NAMESPACES").getValue()).isEqualTo("team-a,team-b");
  }

  @Test
  void leaderLeaseTimingsAndThreadsBecomeVariablesAndTheirOrderIsChecked() {
    Container op = single(RENDERER.render("lvs", "lvs-system", null,
            Map.of("operator.leaderLease.durationSeconds", "60", "operator.reconcileThreads", "4"))
        .one(Deployment.class, "lvs-lvs-operator-operator").getSpec().getTemplate().getSpec().getContainers());
    assertThat(env(op, "LVS_LEASE_DURATION_SECONDS").getValue()).isEqualTo("60");
    assertThat(env(op, "LVS_LEASE_RENEW_DEADLINE_SECONDS").getValue()).isEqualTo("20");
    assertThat(env(op, "LVS_LEASE_RETRY_PERIOD_SECONDS").getValue()).isEqualTo("4");
    assertThat(env(op, "LVS_RECONCILE_THREADS").getValue()).isEqualTo("4");
    assertThatThrownBy(() -> RENDERER.render("lvs", "lvs-system", null,
            Map.of("operator.leaderLease.renewDeadlineSeconds", "30")))
        .hasMessageContaining(
            "operator.leaderLease: retryPeriodSeconds (4) < renewDeadlineSeconds (30) < durationSeconds (30) must hold");
  }

  @Test
  void valuesFileInTheDocsRendersTheSameAsTheSetFlags() throws Exception {
    Path file = Path.of(getClass().getResource("/chart/values/director-nodes.yaml").toURI());
    RenderedChart r = RENDERER.render("lvs", "lvs-system", file, Map.of());
    DaemonSet ds = r.one(DaemonSet.class, "lvs-lvs-operator-node-agent");
    assertThat(ds.getSpec().getTemplate().getSpec().getNodeSelector()).containsEntry("lvs.io/role", "director");
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getStrVal()).isEqualTo("10%");
  }

  static String chartAppVersion() throws Exception {
    String chart = Files.readString(FILES.chart().resolve("Chart.yaml"));
    Matcher m = Pattern.compile("(?m)^appVersion:\\s*(\\S+)\\s*$").matcher(chart);
    if (!m.find()) {
      throw new AssertionError("Chart.yaml has no appVersion");
    }
    return m.group(1);
  }

  private static EnvVar env(Container c, String name) {
    return c.getEnv().stream().filter(e -> name.equals(e.getName())).findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " has no env " + name + ": " + c.getEnv()));
  }

  private static <T> T single(List<T> list) {
    assertThat(list).hasSize(1);
    return list.get(0);
  }
}
