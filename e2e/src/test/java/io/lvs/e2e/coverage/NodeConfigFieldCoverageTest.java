package io.lvs.e2e.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.agent.apply.TimeoutKeeper;
import io.lvs.agent.ipvs.IpvsTimeouts;
import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.LvsNodeConfigSpec;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.validation.CrdSchema;
import io.lvs.api.validation.SpecValidator;
import io.lvs.operator.nodeconfig.NodeConfigResolver;
import io.lvs.operator.nodeconfig.TimeoutsOverlay;
import io.lvs.operator.plan.NodeView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * FieldCoverageTest for LvsNodeConfig: every leaf of its spec schema, set to another valid value,
 * changes what some node's agent sends in IPVS_CMD_SET_CONFIG (the operator's resolution, the
 * first slice's spec, the agent's reading of it); a new field without such a path fails
 * {@link #everySpecFieldIsCovered}.
 */
class NodeConfigFieldCoverageTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final SpecValidator VALIDATOR = new SpecValidator();
  private static final String BASE = "{nodeSelector: {role: dir}, timeouts: {tcpSeconds: 600, tcpFinSeconds: 60, udpSeconds: 120}}";
  private static final List<NodeView> NODES =
      List.of(new NodeView("d1", Map.of("role", "dir"), true, null), new NodeView("w1", Map.of("role", "web"), true, null));

  /** field (leaf path) -> the variant spec. */
  private static final Map<String, String> REACHES_THE_NODE = Map.of(
      "spec.nodeSelector", "{nodeSelector: {role: web}, timeouts: {tcpSeconds: 600, tcpFinSeconds: 60, udpSeconds: 120}}",
      "spec.timeouts.tcpSeconds", "{nodeSelector: {role: dir}, timeouts: {tcpSeconds: 601, tcpFinSeconds: 60, udpSeconds: 120}}",
      "spec.timeouts.tcpFinSeconds", "{nodeSelector: {role: dir}, timeouts: {tcpSeconds: 600, tcpFinSeconds: 61, udpSeconds: 120}}",
      "spec.timeouts.udpSeconds", "{nodeSelector: {role: dir}, timeouts: {tcpSeconds: 600, tcpFinSeconds: 60, udpSeconds: 121}}");

  @Test
  void everySpecFieldIsCovered() {
    List<String> leaves = FieldCoverageTest.leaves("", CrdSchema.load("lvsnodeconfigs.lvs.io", "v1alpha1"));
    assertThat(new TreeSet<>(leaves)).containsExactlyElementsOf(new TreeSet<>(REACHES_THE_NODE.keySet()));
  }

  @Test
  void eachFieldChangesWhatSomeNodesAgentSetsInTheKernel() {
    Map<String, IpvsTimeouts> base = run(BASE);
    assertThat(base).containsOnlyKeys("d1").containsEntry("d1", new IpvsTimeouts(600, 60, 120));
    REACHES_THE_NODE.forEach((field, variant) -> assertThat(run(variant)).as(field).isNotEqualTo(base));
  }

  /** Per node, what its agent sends in IPVS_CMD_SET_CONFIG for the node's first slice (0: leave). */
  private static Map<String, IpvsTimeouts> run(String spec) {
    LvsNodeConfig c = new LvsNodeConfig();
    c.setMetadata(new ObjectMetaBuilder().withName("c").build());
    try {
      c.setSpec(YAML.readValue(spec, LvsNodeConfigSpec.class));
    } catch (Exception e) {
      throw new IllegalArgumentException(spec, e);
    }
    assertThat(VALIDATOR.validate(c.getSpec())).as(spec).isEmpty();
    var timeouts = NodeConfigResolver.resolve(List.of(c), NODES, Map.of()).timeouts();
    Map<String, LvsNodeStateSpec> slices = TimeoutsOverlay.apply(Map.of(), timeouts, Set.of("d1", "w1"));
    Map<String, IpvsTimeouts> out = new TreeMap<>();
    slices.forEach((name, s) -> out.put(name, TimeoutKeeper.wantedOf(s.timeouts())));
    return out;
  }
}
