package io.lvs.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.e2e.lab.Shell;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./lvs-lab release}'s argument handling, with --dry-run (nothing is built or pushed):
 * the image names the chart pulls with {@code image.registry}, and refusals of what a registry
 * would reject later.
 */
class LvsLabReleaseTest {
  private static final ProjectFiles FILES = ProjectFiles.locate();

  private static Shell.Result release(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", FILES.root().resolve("lvs-lab").toString(), "release"));
    cmd.addAll(List.of(args));
    return Shell.run(cmd);
  }

  @Test
  void dryRunPrintsTheJibBuildAndTheChartPushForTheNamedRegistry() throws Exception {
    String version = ChartRenderTest.chartAppVersion();
    Shell.Result r = release("--dry-run", "registry.example.com:5000/team/", "1.2.3");

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout())
        .contains("+ mvn -B -q -Prelease -Dimage.registry=registry.example.com:5000/team/ -Dimage.tag=1.2.3 "
            + "-pl operator,node-agent -am -DskipTests package")
        .contains("registry.example.com:5000/team/lvs-operator/lvs-operator:1.2.3")
        .contains("registry.example.com:5000/team/lvs-operator/lvs-node-agent:1.2.3")
        .contains("+ helm push " + FILES.root().resolve("target/chart/lvs-operator-" + version + ".tgz")
            + " oci://registry.example.com:5000/team/charts")
        .contains("--set image.registry=registry.example.com:5000/team/")
        .doesNotContain("\u001b[");
    // the images' names are the chart's: registry + values.yaml repository
    assertThat(Files.readString(FILES.chart().resolve("values.yaml")))
        .contains("repository: lvs-operator/lvs-operator", "repository: lvs-operator/lvs-node-agent");
  }

  @Test
  void theTagDefaultsToTheProjectVersion() throws Exception {
    Shell.Result r = release("--dry-run", "registry.example.com");

    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("-Dimage.registry=registry.example.com/ -Dimage.tag=" + ChartRenderTest.chartAppVersion() + " ");
  }

  @Test
  void aRegistryWithASchemeNoRegistryAndABadTagAreRefused() {
    Shell.Result scheme = release("--dry-run", "https://registry.example.com");
    assertThat(scheme.exitCode()).isEqualTo(2);
    assertThat(scheme.stderr()).contains("REGISTRY must be HOST[:PORT][/PATH] without a scheme").contains("'https://registry.example.com'");

    Shell.Result none = release("--dry-run");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.stderr()).contains("REGISTRY must be");

    Shell.Result tag = release("--dry-run", "registry.example.com", "v1:2");
    assertThat(tag.exitCode()).isEqualTo(2);
    assertThat(tag.stderr()).contains("TAG 'v1:2' is not a valid image tag");
  }
}
