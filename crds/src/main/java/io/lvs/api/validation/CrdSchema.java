package io.lvs.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI schema of one served version of a CRD, read from the checked-in CRD YAML that the
 * build packs into this jar (the same bytes the API server is given).
 */
public final class CrdSchema {
  /** Where the build puts the checked-in {@code crds/*.yml} on the classpath. */
  public static final String RESOURCE_DIR = "io/lvs/api/crds/";

  private final String crdName;
  private final JsonNode openApiV3Schema;

  private CrdSchema(String crdName, JsonNode openApiV3Schema) {
    this.crdName = crdName;
    this.openApiV3Schema = openApiV3Schema;
  }

  /** Parses a CRD document and picks the schema of {@code version}. */
  public static CrdSchema parse(JsonNode crd, String version) {
    String name = crd.path("metadata").path("name").asText();
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (version.equals(v.path("name").asText())) {
        JsonNode schema = v.path("schema").path("openAPIV3Schema");
        if (schema.isMissingNode()) {
          throw new IllegalArgumentException(name + " " + version + ": no openAPIV3Schema");
        }
        return new CrdSchema(name, schema);
      }
    }
    throw new IllegalArgumentException(name + ": no version " + version);
  }

  /** Loads {@code <crdName>-v1.yml} from this jar. */
  public static CrdSchema load(String crdName, String version) {
    String resource = RESOURCE_DIR + crdName + "-v1.yml";
    try (InputStream in = CrdSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("CRD " + resource + " is not on the classpath");
      }
      return parse(new ObjectMapper(new YAMLFactory()).readTree(in), version);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource, e);
    }
  }

  public String crdName() {
    return crdName;
  }

  /** The root schema (the whole object: apiVersion, kind, metadata, spec, status). */
  public JsonNode root() {
    return openApiV3Schema;
  }

  /** The schema of one top-level property, e.g. {@code spec}. */
  public JsonNode property(String name) {
    JsonNode p = openApiV3Schema.path("properties").path(name);
    if (p.isMissingNode()) {
      throw new IllegalArgumentException(crdName + ": no property " + name);
    }
    return p;
  }
}
