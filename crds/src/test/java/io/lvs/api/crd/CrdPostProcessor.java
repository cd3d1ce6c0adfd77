package io.lvs.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Turns the crd-generator's output into the checked-in CRD: printer columns in the order the
 * class declares them (the generator sorts them by JSON path), {@code spec} required on user kinds,
 * whole-number bounds written as integers, a header that says how to refresh the file.
 */
final class CrdPostProcessor {
  static final String HEADER =
      "# Generated from the Java types in crds/src/main/java/io/lvs/api/v1alpha1 (fabric8\n"
          + "# crd-generator, then CrdPostProcessor). Do not edit; refresh with:\n"
          + "#   mvn -B -pl crds -Pregenerate-crds verify\n";

  private static final YAMLMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .disable(YAMLGenerator.Feature.SPLIT_LINES)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .build())
          .build();

  private CrdPostProcessor() {}

  /** The generator's raw output for {@code crdName}, from the build's classpath. */
  static JsonNode generated(String crdName) {
    String resource = "META-INF/fabric8/" + crdName + "-v1.yml";
    try (InputStream in = CrdPostProcessor.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " missing: did crd-generator-maven-plugin run?");
      }
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The checked-in text for one kind. */
  static String render(ApiKind kind) {
    ObjectNode crd = (ObjectNode) generated(kind.crdName()).deepCopy();
    for (JsonNode version : crd.path("spec").path("versions")) {
      orderPrinterColumns((ObjectNode) version, kind.type());
      if (kind.userFacing()) {
        ObjectNode root = (ObjectNode) version.path("schema").path("openAPIV3Schema");
        root.set("required", JsonNodeFactory.instance.arrayNode().add("spec"));
      }
      integralBounds(version.path("schema"));
    }
    try {
      return HEADER + YAML.writeValueAsString(crd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void orderPrinterColumns(ObjectNode version, Class<?> type) {
    JsonNode columns = version.path("additionalPrinterColumns");
    if (!columns.isArray()) {
      return;
    }
    ArrayNode ordered = JsonNodeFactory.instance.arrayNode();
    for (AdditionalPrinterColumn declared : type.getAnnotationsByType(AdditionalPrinterColumn.class)) {
      for (JsonNode c : columns) {
        if (declared.name().equals(c.path("name").asText())) {
          ordered.add(c);
        }
      }
    }
    if (ordered.size() != columns.size()) {
      throw new IllegalStateException(type.getSimpleName() + ": printer columns do not match the annotations");
    }
    version.set("additionalPrinterColumns", ordered);
  }

  /** {@code maximum: 65535.0} becomes {@code maximum: 65535}. */
  private static void integralBounds(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode v = o.get(name);
        if ((name.equals("minimum") || name.equals("maximum"))
            && v.isFloatingPointNumber()
            && v.doubleValue() == Math.rint(v.doubleValue())) {
          o.put(name, (long) v.doubleValue());
        } else {
          integralBounds(v);
        }
      }
    } else if (node.isArray()) {
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        integralBounds(it.next());
      }
    }
  }
}
