package io.lvs.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The chart grants each component exactly the API access its code declares (the rule files next
 * to the code), nothing more and nothing less, and never a wildcard.
 */
class ChartRbacTest {
  private static final ProjectFiles FILES = ProjectFiles.locate();
  private final RenderedChart chart = new ChartRenderer(FILES.chart()).render("lvs", "lvs-system", null, Map.of());

  @Test
  void operatorClusterRoleIsExactlyTheOperatorsRules() {
    RuleFile declared = RuleFile.read(FILES.operatorRules());
    ClusterRole role = chart.one(ClusterRole.class, "lvs-lvs-operator-operator");
    assertThat(Grant.flatten(role.getRules())).containsExactlyElementsOf(Grant.flatten(declared.clusterRules()));
  }

  @Test
  void operatorNamespacedRoleIsExactlyTheOperatorsNamespaceRules() {
    RuleFile declared = RuleFile.read(FILES.operatorRules());
    Role role = chart.one(Role.class, "lvs-lvs-operator-operator");
    assertThat(role.getMetadata().getNamespace()).isEqualTo("lvs-system");
    assertThat(Grant.flatten(role.getRules())).containsExactlyElementsOf(Grant.flatten(declared.namespaceRules()));
    RoleBinding binding = chart.one(RoleBinding.class, "lvs-lvs-operator-operator");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("lvs-lvs-operator-operator"));
  }

  @Test
  void agentClusterRoleIsExactlyTheAgentsRules() {
    RuleFile declared = RuleFile.read(FILES.agentRules());
    ClusterRole role = chart.one(ClusterRole.class, "lvs-lvs-operator-node-agent");
    assertThat(Grant.flatten(role.getRules())).containsExactlyElementsOf(Grant.flatten(declared.clusterRules()));
    ClusterRoleBinding binding = chart.one(ClusterRoleBinding.class, "lvs-lvs-operator-node-agent");
    assertThat(binding.getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("lvs-lvs-operator-node-agent"));
    // the HA VIP Leases, in the release namespace only
    Role agentRole = chart.one(Role.class, "lvs-lvs-operator-node-agent");
    assertThat(agentRole.getMetadata().getNamespace()).isEqualTo("lvs-system");
    assertThat(declared.namespaceRules()).isNotEmpty();
    assertThat(Grant.flatten(agentRole.getRules())).containsExactlyElementsOf(Grant.flatten(declared.namespaceRules()));
    RoleBinding roleBinding = chart.one(RoleBinding.class, "lvs-lvs-operator-node-agent");
    assertThat(roleBinding.getRoleRef().getName()).isEqualTo(agentRole.getMetadata().getName());
    assertThat(roleBinding.getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("lvs-lvs-operator-node-agent"));
  }

  @Test
  void viewerRolesAreExactlyTheKubectlPluginsRulesAndBindOnlyTheListedViewers() throws Exception {
    RuleFile declared = RuleFile.read(FILES.viewerRules());
    ClusterRole cluster = chart.one(ClusterRole.class, "lvs-lvs-operator-viewer");
    assertThat(Grant.flatten(cluster.getRules())).containsExactlyElementsOf(Grant.flatten(declared.clusterRules()));
    Role role = chart.one(Role.class, "lvs-lvs-operator-viewer");
    assertThat(role.getMetadata().getNamespace()).isEqualTo("lvs-system");
    assertThat(Grant.flatten(role.getRules())).containsExactlyElementsOf(Grant.flatten(declared.namespaceRules()));
    assertThat(chart.all(RoleBinding.class)).noneMatch(b -> b.getRoleRef().getName().equals("lvs-lvs-operator-viewer"));
    java.nio.file.Path values = java.nio.file.Files.createTempFile("viewers", ".yaml");
    java.nio.file.Files.writeString(values,
        "rbac:\n  viewers:\n  - kind: Group\n    name: sre\n    apiGroup: rbac.authorization.k8s.io\n");
    RenderedChart bound = new ChartRenderer(FILES.chart()).render("lvs", "lvs-system", values, Map.of());
    assertThat(bound.one(ClusterRoleBinding.class, "lvs-lvs-operator-viewer").getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("sre"));
    assertThat(bound.one(RoleBinding.class, "lvs-lvs-operator-viewer").getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getKind()).isEqualTo("Group"));
  }

  @Test
  void noWildcardsAndNoSecretsAnywhere() {
    for (ClusterRole r : chart.all(ClusterRole.class)) {
      Set<Grant> grants = Grant.flatten(r.getRules());
      assertThat(grants).as(r.getMetadata().getName()).noneMatch(Grant::isWildcard);
      assertThat(grants).as(r.getMetadata().getName()).noneMatch(g -> g.resource().equals("secrets"));
      assertThat(grants).as(r.getMetadata().getName())
          .noneMatch(g -> g.apiGroup().equals("apiextensions.k8s.io") || g.apiGroup().equals("rbac.authorization.k8s.io"));
    }
    for (Role r : chart.all(Role.class)) {
      assertThat(Grant.flatten(r.getRules())).noneMatch(Grant::isWildcard);
    }
  }

  @Test
  void agentMayWriteOnlyTheStatusOfNodeObjects() {
    Set<Grant> agent = Grant.flatten(chart.one(ClusterRole.class, "lvs-lvs-operator-node-agent").getRules());
    assertThat(agent).filteredOn(g -> Set.of("create", "update", "patch", "delete", "deletecollection").contains(g.verb()))
        .allSatisfy(g -> assertThat(g.resource()).isEqualTo("lvsnodestates/status"));
  }

  @Test
  void noResourceNamesAreUsedBecauseTheyCannotRestrictListOrWatch() {
    assertThat(chart.all(ClusterRole.class)).flatExtracting(ClusterRole::getRules)
        .allSatisfy(rule -> assertThat(rule.getResourceNames()).isNullOrEmpty());
  }
}
