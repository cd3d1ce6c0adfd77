package io.lvs.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** helm-chart/crds/ ships the very CRDs checked in under crds/ (byte for byte). */
class ChartCrdsTest {
  private static final ProjectFiles FILES = ProjectFiles.locate();

  @Test
  void chartCrdsAreIdenticalToTheCheckedInCrds() {
    Map<String, String> checkedIn = crdsUnder(FILES.root().resolve("crds"));
    // until the API's generated YAML is checked in under crds/, there is nothing to compare with
    assumeFalse(checkedIn.isEmpty(), "no CRD YAML checked in under crds/ yet (only Java sources)");
    Map<String, String> chart = crdsUnder(FILES.chart().resolve("crds"));
    assertThat(chart.keySet()).as("CRDs in helm-chart/crds").isEqualTo(checkedIn.keySet());
    checkedIn.forEach((name, text) ->
        assertThat(chart.get(name)).as("helm-chart/crds copy of %s: regenerate and copy crds/ again", name).isEqualTo(text));
  }

  @Test
  void chartCrdsAreTheGeneratedOnesOfTheLvsGroup() {
    Map<String, String> chart = crdsUnder(FILES.chart().resolve("crds"));
    assumeFalse(chart.isEmpty(), "helm-chart/crds/ is not filled yet");
    assertThat(chart.keySet()).allSatisfy(n -> assertThat(n).endsWith(".lvs.io"));
    assertThat(chart.keySet()).contains("virtualservices.lvs.io", "realserverpools.lvs.io", "lvsnodestates.lvs.io",
        "lvsnodeconfigs.lvs.io");
  }

  /** CRD name → file text, for every YAML file holding a CustomResourceDefinition (target/ and tests excluded). */
  static Map<String, String> crdsUnder(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Map.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().matches(".*\\.ya?ml$"))
          .filter(p -> !dir.relativize(p).startsWith("target") && !dir.relativize(p).startsWith("src/test"))
          .map(ChartCrdsTest::read)
          .filter(t -> t.contains("kind: CustomResourceDefinition"))
          .collect(Collectors.toMap(
              t -> Serialization.unmarshal(t, CustomResourceDefinition.class).getMetadata().getName(),
              t -> t, (a, b) -> { throw new AssertionError("two files define the same CRD under " + dir); },
              TreeMap::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(p.toString(), e);
    }
  }
}
