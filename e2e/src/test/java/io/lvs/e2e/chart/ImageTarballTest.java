package io.lvs.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The images jib:buildTar produced (operator/target/jib-image.tar, node-agent/target/jib-image.tar,
 * built at `package` on the base e2e/images/debian-jre-base.py assembles): names the chart uses,
 * user, entrypoint, JVM flags, labels, layers, size.
 */
class ImageTarballTest {
  private static final ProjectFiles FILES = ProjectFiles.locate();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JAVA_HOME = "/usr/lib/jvm/java-17-openjdk-amd64";

  static Stream<Arguments> images() {
    return Stream.of(
        Arguments.of("operator", "operator", "io.lvs.operator.OperatorMain", "65532:65532", 9710),
        Arguments.of("node-agent", "agent", "io.lvs.agent.AgentMain", "0:0", 9720));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void imageMatchesTheChartAndTheRuntimeContract(String module, String valuesKey, String mainClass,
      String user, int port) throws Exception {
    Path tar = FILES.root().resolve(module).resolve("target/jib-image.tar");
    assertThat(tar).as("%s: built by `mvn package` in %s (jib:buildTar; -DskipImages skips it)", tar, module).isRegularFile();
    Map<String, TarReader.Entry> outer;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tar))) {
      outer = TarReader.read(in, n -> true); // ~90 MiB, read once
    }
    JsonNode manifest = JSON.readTree(outer.get("manifest.json").content()).get(0);
    JsonNode config = JSON.readTree(outer.get(manifest.get("Config").asText()).content());

    // the name and tag the chart's defaults pull
    String repository = chartValue(valuesKey);
    assertThat(manifest.get("RepoTags").get(0).asText()).isEqualTo(repository + ":" + ChartRenderTest.chartAppVersion());

    JsonNode c = config.get("config");
    assertThat(c.get("User").asText()).isEqualTo(user);
    List<String> entrypoint = new ArrayList<>();
    c.get("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
    assertThat(entrypoint).startsWith("java").endsWith("-cp", "@/app/jib-classpath-file", mainClass)
        .contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError")
        .anyMatch(f -> f.startsWith("-XX:MaxRAMPercentage=")); // the agent's own share (node-agent/pom.xml)
    assertThat(c.get("Env").toString()).contains("PATH=" + JAVA_HOME + "/bin");
    assertThat(c.get("ExposedPorts").has(port + "/tcp")).isTrue();
    JsonNode labels = c.get("Labels");
    // no source label: the address it carried was not a real repository (the chart has no home/sources either)
    assertThat(labels.has("org.opencontainers.image.source")).isFalse();
    assertThat(labels.get("org.opencontainers.image.version").asText()).isEqualTo(ChartRenderTest.chartAppVersion());
    assertThat(labels.get("org.opencontainers.image.base.name").asText()).contains("openjdk-17-jre-headless");

    // layers: the Debian JRE base first, then Jib's dependency / resource / class layers
    List<String> layers = new ArrayList<>();
    manifest.get("Layers").forEach(n -> layers.add(n.asText()));
    assertThat(layers).hasSizeGreaterThanOrEqualTo(4);
    assertThat(config.get("rootfs").get("diff_ids")).hasSize(layers.size());
    long total = 0;
    List<String> files = new ArrayList<>();
    for (String layer : layers) {
      total += outer.get(layer).size();
      files.addAll(layerFiles(outer.get(layer)));
    }
    assertThat(files).contains(JAVA_HOME.substring(1) + "/bin/java", JAVA_HOME.substring(1) + "/lib/server/libjvm.so",
        "etc/ssl/certs/java/cacerts", "etc/passwd", "app/jib-classpath-file");
    assertThat(files).anyMatch(f -> f.startsWith("app/libs/kubernetes-client-"));
    // every class the module compiled is in the image
    Path classes = FILES.root().resolve(module).resolve("target/classes");
    try (Stream<Path> compiled = Files.walk(classes)) {
      List<String> expected = compiled.filter(p -> p.toString().endsWith(".class"))
          .map(p -> "app/classes/" + classes.relativize(p).toString().replace('\\', '/')).toList();
      assertThat(files).containsAll(expected);
    }
    System.out.printf("image %s: %d layers, %.1f MiB compressed%n", repository, layers.size(), total / 1048576.0);
    assertThat(total).as("compressed image size").isLessThan(140L << 20);
  }

  private static List<String> layerFiles(TarReader.Entry layer) throws IOException {
    try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(layer.content()), 1 << 16)) {
      return new ArrayList<>(TarReader.read(gz, n -> false).keySet());
    }
  }

  /** agent.image.repository / operator.image.repository from the chart's values.yaml. */
  private static String chartValue(String component) throws IOException {
    String values = Files.readString(FILES.chart().resolve("values.yaml"));
    Matcher m = Pattern.compile("(?ms)^" + component + ":\\s*\\n\\s+image:\\s*\\n\\s+repository:\\s*(\\S+)").matcher(values);
    assertThat(m.find()).as("%s.image.repository in values.yaml", component).isTrue();
    return m.group(1);
  }
}
