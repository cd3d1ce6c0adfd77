package io.lvs.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The checked-in CRDs (crds/*.yml, helm-chart/crds/*.yml) and docs/crd-reference.md must be exactly
 * what the Java types generate. With {@code -Dlvs.regenerate=true} (profile {@code regenerate-crds}) the test writes
 * the files instead of failing.
 */
class GeneratedFilesTest {
  static final boolean REGENERATE = Boolean.getBoolean("lvs.regenerate");
  static final String REFRESH = "refresh with: mvn -B -pl crds -Pregenerate-crds verify";

  @ParameterizedTest
  @EnumSource(ApiKind.class)
  void checkedInCrdMatchesTheJavaTypes(ApiKind kind) throws IOException {
    String expected = CrdPostProcessor.render(kind);
    // what is checked in must say the same thing as what was generated, value for value
    assertThat(CrdPostProcessor.parse(expected).path("spec").path("names").path("kind").asText())
        .isEqualTo(kind.type().getSimpleName());
    checkOrWrite(kind.moduleFile(), expected);
  }

  @ParameterizedTest
  @EnumSource(ApiKind.class)
  void helmChartCrdIsTheSameFile(ApiKind kind) throws IOException {
    checkOrWrite(kind.helmFile(), CrdPostProcessor.render(kind));
  }

  @ParameterizedTest
  @EnumSource(ApiKind.class)
  void namesCategoriesAndStatusSubresource(ApiKind kind) {
    JsonNode crd = CrdPostProcessor.parse(CrdPostProcessor.render(kind));
    JsonNode names = crd.path("spec").path("names");
    String shortName =
        switch (kind) {
          case VIRTUAL_SERVICE -> "lvsvs"; // not "vs": Istio's VirtualService has it
          case REAL_SERVER_POOL -> "rsp";
          case LVS_NODE_STATE -> "lvsns";
          case LVS_NODE_CONFIG -> "lvsnc";
        };
    assertThat(names.path("shortNames")).extracting(JsonNode::asText).containsExactly(shortName);
    if (kind.userFacing()) {
      assertThat(names.path("categories")).extracting(JsonNode::asText).containsExactly("lvs");
    } else {
      assertThat(names.has("categories")).as("internal kind stays out of kubectl get lvs").isFalse();
    }
    for (JsonNode version : crd.path("spec").path("versions")) {
      assertThat(version.path("subresources").has("status")).isTrue();
    }
  }

  @Test
  void virtualServiceColumnsInTheOrderKubectlShowsThem() {
    JsonNode crd = CrdPostProcessor.parse(CrdPostProcessor.render(ApiKind.VIRTUAL_SERVICE));
    List<String> defaultColumns = new ArrayList<>();
    for (JsonNode c : crd.path("spec").path("versions").get(0).path("additionalPrinterColumns")) {
      if (c.path("priority").asInt() == 0) {
        defaultColumns.add(c.path("name").asText());
      }
    }
    assertThat(defaultColumns).containsExactly("VIP", "PORTS", "MODE", "SCHEDULER", "READY", "DIRECTOR", "AGE");
  }

  @Test
  void crdReferenceIsCurrent() throws IOException {
    checkOrWrite(ApiKind.MODULE.resolveSibling("docs").resolve("crd-reference.md"), CrdReference.render());
  }

  @ParameterizedTest
  @EnumSource(ApiKind.class)
  void renderedYamlKeepsEveryGeneratedValue(ApiKind kind) {
    JsonNode generated = CrdPostProcessor.generated(kind.crdName());
    JsonNode rendered = CrdPostProcessor.parse(CrdPostProcessor.render(kind));
    JsonNode genSchema = generated.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema").path("properties");
    JsonNode renSchema = rendered.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema").path("properties");
    // only number formatting changes below the root (65535.0 -> 65535); compare as JSON text with
    // doubles normalised
    assertThat(normalise(renSchema)).isEqualTo(normalise(genSchema));
  }

  static void checkOrWrite(Path file, String expected) throws IOException {
    if (REGENERATE) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, expected, StandardCharsets.UTF_8);
      return;
    }
    assertThat(file).as(file + " is missing; " + REFRESH).exists();
    String actual = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(actual).as(file + " differs from what the Java types generate; " + REFRESH).isEqualTo(expected);
  }

  private static String normalise(JsonNode node) {
    List<String> parts = new ArrayList<>();
    flatten(node, "", parts);
    return String.join("\n", parts);
  }

  private static void flatten(JsonNode node, String path, List<String> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> flatten(e.getValue(), path + "/" + e.getKey(), out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(node.get(i), path + "/" + i, out);
      }
    } else if (node.isNumber()) {
      out.add(path + "=" + node.decimalValue().stripTrailingZeros().toPlainString());
    } else {
      out.add(path + "=" + node.asText());
    }
  }
}
