package io.lvs.e2e.chart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** values.schema.json turns each wrong values file into an error naming the field. */
class ChartSchemaTest {
  private static final ChartRenderer RENDERER = new ChartRenderer(ProjectFiles.locate().chart());

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("replicas-zero.yaml", "operator.replicas", "greater than or equal to 1"),
        Arguments.of("unknown-key.yaml", "agent", "resyncSecond"),
        Arguments.of("replicas-without-leader-election.yaml", "operator.leaderElection", "true"),
        Arguments.of("port-out-of-range.yaml", "agent.httpPort", "less than or equal to 65535"),
        Arguments.of("full-read-every-zero.yaml", "agent.resyncFullReadEvery", "greater than or equal to 1"),
        Arguments.of("unprivileged-without-net-admin.yaml", "agent.capabilities", "NET_ADMIN"),
        Arguments.of("namespace-restricted.yaml", "namespace.podSecurity", "privileged"),
        Arguments.of("relative-state-dir.yaml", "agent.stateDir", "pattern"),
        Arguments.of("max-unavailable-zero.yaml", "agent.updateStrategy.maxUnavailable", "greater than or equal to 1"),
        Arguments.of("bad-image-tag.yaml", "operator.image.tag", "pattern"),
        Arguments.of("missing-limits.yaml", "operator.resources", "limits is required"),
        Arguments.of("leader-election-string.yaml", "operator.leaderElection", "boolean"),
        Arguments.of("reconcile-threads-zero.yaml", "operator.reconcileThreads", "greater than or equal to 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void rejected(String file, String field, String why) throws URISyntaxException {
    Path values = Path.of(getClass().getResource("/chart/bad-values/" + file).toURI());
    assertThatThrownBy(() -> RENDERER.render("lvs", "lvs-system", values, Map.of()))
        .as("helm template -f %s", file)
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(field)
        .hasMessageContaining(why)
        .satisfies(e -> System.out.println(file + " -> " + e.getMessage().lines().skip(2).toList()));
  }
}
