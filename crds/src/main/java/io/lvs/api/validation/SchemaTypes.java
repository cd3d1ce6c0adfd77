package io.lvs.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CEL types for a structural schema, as the API server declares them: an object with properties
 * is a struct whose fields are exactly those properties, so a rule naming a field the schema does
 * not have fails to compile (here, at build time) instead of silently never matching.
 */
final class SchemaTypes implements CelTypeProvider {
  private final Map<String, CelType> structs = new LinkedHashMap<>();

  /** The CEL type of values at {@code schema}; {@code name} names the struct types it makes. */
  CelType typeOf(JsonNode schema, String name) {
    String type = schema.path("type").asText("");
    switch (type) {
      case "string":
        return SimpleType.STRING;
      case "integer":
        return SimpleType.INT;
      case "number":
        return SimpleType.DOUBLE;
      case "boolean":
        return SimpleType.BOOL;
      case "array":
        return ListType.create(typeOf(schema.path("items"), name + ".@items"));
      case "object":
        if (schema.path("additionalProperties").isObject()) {
          return MapType.create(SimpleType.STRING, typeOf(schema.get("additionalProperties"), name + ".@values"));
        }
        if (!schema.has("properties") || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
          return SimpleType.DYN;
        }
        return struct(schema, name);
      default:
        return SimpleType.DYN;
    }
  }

  private CelType struct(JsonNode schema, String name) {
    CelType existing = structs.get(name);
    if (existing != null) {
      return existing;
    }
    Map<String, CelType> fields = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    schema.path("properties").properties().forEach(e -> names.add(e.getKey()));
    StructType struct = StructType.create(name, ImmutableSet.copyOf(names), f -> Optional.ofNullable(fields.get(f)));
    structs.put(name, struct);
    for (Map.Entry<String, JsonNode> e : schema.path("properties").properties()) {
      fields.put(e.getKey(), typeOf(e.getValue(), name + "." + e.getKey()));
    }
    return struct;
  }

  @Override
  public ImmutableCollection<CelType> types() {
    return ImmutableList.copyOf(structs.values());
  }

  @Override
  public Optional<CelType> findType(String typeName) {
    return Optional.ofNullable(structs.get(typeName));
  }
}
