package io.lvs.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Compatibility is a test, not code: the CRDs of every released version are committed under
 * crds/released/VERSION/ (copies of crds/*.yml at the release), and the current CRDs must not
 * remove a version, a property or an enum value from them, nor change a property's type.
 *
 * <p>Releasing X: copy crds/*.yml to crds/released/X/ in the release commit (project version X,
 * no -SNAPSHOT). Until the first release there is nothing to compare, and the test says so
 * explicitly rather than passing on an empty folder by accident.
 */
class CrdCompatibilityTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Path RELEASED = ApiKind.MODULE.resolve("released");

  @Test
  void theCurrentCrdsKeepEveryReleasedVersionPropertyTypeAndEnumValue() throws IOException {
    List<Path> releases = releases();
    String version = projectVersion();
    if (releases.isEmpty()) {
      assertThat(version).as("no release under %s: the project version must be a snapshot", RELEASED).endsWith("-SNAPSHOT");
      return;
    }
    if (!version.endsWith("-SNAPSHOT")) {
      assertThat(RELEASED.resolve(version)).as("release %s: its CRDs must be committed", version).isDirectory();
    }
    List<String> problems = new ArrayList<>();
    for (Path release : releases) {
      try (Stream<Path> files = Files.list(release)) {
        for (Path old : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
          Path now = ApiKind.MODULE.resolve(old.getFileName().toString());
          if (!Files.exists(now)) {
            problems.add(release.getFileName() + ": " + old.getFileName() + " no longer exists");
            continue;
          }
          CrdCompatibility.problems(YAML.readTree(old.toFile()), YAML.readTree(now.toFile()))
              .forEach(p -> problems.add(release.getFileName() + ": " + p));
        }
      }
    }
    assertThat(problems).as("changes that break users of a released version").isEmpty();
  }

  @Test
  void theCheckerFindsARemovedPropertyARemovedEnumValueAChangedTypeAndARemovedVersion() throws IOException {
    JsonNode released = YAML.readTree("""
        metadata: {name: things.lvs.io}
        spec:
          versions:
          - name: v1
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      mode: {type: string, enum: [A, B]}
                      port: {type: integer}
                      gone: {type: string}
                      tags: {type: array, items: {type: object, properties: {key: {type: string}}}}
          - name: v0
            schema: {openAPIV3Schema: {type: object}}
        """);
    JsonNode current = YAML.readTree("""
        metadata: {name: things.lvs.io}
        spec:
          versions:
          - name: v1
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      mode: {type: string, enum: [A, C]}
                      port: {type: string}
                      added: {type: string}
                      tags: {type: array, items: {type: object, properties: {value: {type: string}}}}
        """);
    assertThat(CrdCompatibility.problems(released, current)).containsExactlyInAnyOrder(
        "things.lvs.io/v1.spec.mode: enum value B removed",
        "things.lvs.io/v1.spec.port: type changed from integer to string",
        "things.lvs.io/v1.spec.gone: property removed",
        "things.lvs.io/v1.spec.tags[].key: property removed",
        "things.lvs.io: version v0 removed");
    assertThat(CrdCompatibility.problems(current, current)).as("a CRD is compatible with itself").isEmpty();
    assertThat(CrdCompatibility.problems(YAML.readTree(ApiKind.MODULE.resolve("virtualservices.lvs.io-v1.yml").toFile()),
        YAML.readTree(ApiKind.MODULE.resolve("virtualservices.lvs.io-v1.yml").toFile()))).isEmpty();
  }

  private static List<Path> releases() throws IOException {
    if (!Files.isDirectory(RELEASED)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(RELEASED)) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    }
  }

  /** The version in the parent pom (the one the modules inherit). */
  private static String projectVersion() throws IOException {
    String pom = Files.readString(ApiKind.MODULE.resolveSibling("pom.xml"));
    String project = pom.substring(pom.indexOf("</parent>") < 0 ? 0 : pom.indexOf("</parent>"));
    Matcher m = Pattern.compile("<artifactId>lvs-operator-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(project);
    assertThat(m.find()).as("parent pom version").isTrue();
    return m.group(1).trim();
  }
}
