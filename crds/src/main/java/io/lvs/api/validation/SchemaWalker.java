package io.lvs.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a value against a Kubernetes structural schema node by node, as the API server does:
 * type, enum, pattern (RE2, like Go's regexp), bounds, lengths, item and property counts, required
 * and unknown fields; then the node's {@code x-kubernetes-validations} rules. A schema keyword this
 * walker does not know fails construction, so the schema cannot grow a rule the operator ignores.
 */
final class SchemaWalker {
  private static final Set<String> KNOWN_KEYWORDS =
      Set.of(
          "description", "type", "properties", "required", "additionalProperties", "items", "enum",
          "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
          "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "nullable",
          "x-kubernetes-validations", "x-kubernetes-preserve-unknown-fields");
  private static final int MAX_VALUE_CHARS = 80;

  private final CelRules cel;
  private final Map<String, String> patternNames;
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();
  /** Compiled rules per schema node (by identity), filled by checkSupported, read-only after. */
  private final Map<JsonNode, List<CelRuntime.Program>> rules = new IdentityHashMap<>();

  /**
   * @param patternNames human words for well-known patterns ("an IPv4 or IPv6 literal"), so an
   *     error does not print a 600-character regular expression
   */
  SchemaWalker(CelRules cel, Map<String, String> patternNames) {
    this.cel = cel;
    this.patternNames = Map.copyOf(patternNames);
  }

  /** Rejects schema keywords this walker does not enforce, and compiles every CEL rule. */
  void checkSupported(JsonNode schema, String where) {
    for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
      String k = keyword.getKey();
      if (!KNOWN_KEYWORDS.contains(k)) {
        throw new IllegalArgumentException(where + ": schema keyword " + k + " is not enforced by SpecValidator");
      }
    }
    List<CelRuntime.Program> compiled = new ArrayList<>();
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      compiled.add(cel.compile(rule.path("rule").asText(), schema, where));
    }
    rules.put(schema, List.copyOf(compiled));
    if (schema.has("pattern")) {
      pattern(schema.get("pattern").asText());
    }
    schema.path("properties").properties().forEach(e -> checkSupported(e.getValue(), where + "." + e.getKey()));
    if (schema.path("items").isObject()) {
      checkSupported(schema.get("items"), where + "[]");
    }
    if (schema.path("additionalProperties").isObject()) {
      checkSupported(schema.get("additionalProperties"), where + "[*]");
    }
  }

  /** Appends to {@code errors} everything wrong with {@code value} at {@code path}. */
  void walk(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
    int before = errors.size();
    if (!typeMatches(schema.path("type").asText(""), value)) {
      errors.add(schemaError(path, value, "must be of type " + schema.path("type").asText()));
      return;
    }
    checkEnum(schema, value, path, errors);
    if (value.isTextual()) {
      checkString(schema, value, path, errors);
    } else if (value.isNumber()) {
      checkNumber(schema, value, path, errors);
    } else if (value.isArray()) {
      checkCount(schema, "minItems", "maxItems", value.size(), "items", value, path, errors);
      JsonNode items = schema.path("items");
      for (int i = 0; i < value.size(); i++) {
        if (items.isObject() && !value.get(i).isNull()) {
          walk(items, value.get(i), path + "[" + i + "]", errors);
        }
      }
    } else if (value.isObject()) {
      checkObject(schema, value, path, errors);
    }
    // CEL sees only well-typed values, as on the API server, so its rules run on a clean subtree.
    if (errors.size() == before) {
      checkRules(schema, value, path, errors);
    }
  }

  private void checkObject(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
    checkCount(schema, "minProperties", "maxProperties", value.size(), "properties", value, path, errors);
    for (JsonNode req : schema.path("required")) {
      JsonNode v = value.get(req.asText());
      if (v == null || v.isNull()) {
        errors.add(new FieldError(path + "." + req.asText(), null, "required", FieldError.Source.SCHEMA));
      }
    }
    JsonNode props = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      if (e.getValue().isNull()) {
        continue; // the API server prunes nulls of non-nullable fields before validating
      }
      if (props.has(e.getKey())) {
        walk(props.get(e.getKey()), e.getValue(), path + "." + e.getKey(), errors);
      } else if (additional.isObject()) {
        walk(additional, e.getValue(), path + "[" + e.getKey() + "]", errors);
      } else if (!preserveUnknown) {
        errors.add(schemaError(path + "." + e.getKey(), e.getValue(), "is an unknown field"));
      }
    }
  }

  private void checkRules(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
    List<CelRuntime.Program> programs = rules.get(schema);
    if (programs == null) {
      throw new IllegalStateException(path + ": schema node was not prepared by checkSupported");
    }
    JsonNode declared = schema.path("x-kubernetes-validations");
    Map<String, Object> bindings = declared.isEmpty() ? Map.of() : CelRules.bind(value);
    for (int i = 0; i < declared.size(); i++) {
      JsonNode rule = declared.get(i);
      String why = cel.check(programs.get(i), bindings);
      if (why == null) {
        continue;
      }
      String fieldPath = rule.path("fieldPath").asText("");
      JsonNode at = value;
      for (String segment : fieldPath.split("\\.")) {
        if (!segment.isEmpty()) {
          at = at.path(segment);
        }
      }
      String message = why.isEmpty() ? rule.path("message").asText("failed rule: " + rule.path("rule").asText()) : why;
      boolean absent = at.isMissingNode() || at.isNull();
      errors.add(
          new FieldError(
              path + fieldPath, absent ? null : render(at), absent ? message : "is invalid: " + message, FieldError.Source.CEL));
    }
  }

  private void checkEnum(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
    JsonNode allowed = schema.path("enum");
    if (!allowed.isArray()) {
      return;
    }
    for (JsonNode a : allowed) {
      if (a.equals(value)) {
        return;
      }
    }
    List<String> names = new ArrayList<>();
    allowed.forEach(a -> names.add(a.asText()));
    errors.add(schemaError(path, value, "must be one of " + String.join(", ", names)));
  }

  private void checkString(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
    String s = value.asText();
    int length = s.codePointCount(0, s.length());
    if (schema.has("maxLength") && length > schema.get("maxLength").asLong()) {
      errors.add(schemaError(path, value, "must be at most " + schema.get("maxLength").asLong() + " characters"));
    }
    if (schema.has("minLength") && length < schema.get("minLength").asLong()) {
      errors.add(schemaError(path, value, "must be at least " + schema.get("minLength").asLong() + " characters"));
    }
    if (schema.has("pattern")) {
      String p = schema.get("pattern").asText();
      // Kubernetes (Go RE2) searches for a match; our patterns are anchored where they must be.
      if (!pattern(p).matcher(s).find()) {
        String name = patternNames.get(p);
        errors.add(schemaError(path, value, name != null ? "must be " + name : "must match " + p));
      }
    }
  }

  private static void checkNumber(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
    double v = value.doubleValue();
    if (schema.has("maximum")) {
      boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
      double max = schema.get("maximum").doubleValue();
      if (exclusive ? v >= max : v > max) {
        errors.add(schemaError(path, value, "must be " + (exclusive ? "< " : "<= ") + number(schema.get("maximum"))));
      }
    }
    if (schema.has("minimum")) {
      boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
      double min = schema.get("minimum").doubleValue();
      if (exclusive ? v <= min : v < min) {
        errors.add(schemaError(path, value, "must be " + (exclusive ? "> " : ">= ") + number(schema.get("minimum"))));
      }
    }
  }

  private static void checkCount(
      JsonNode schema, String minKey, String maxKey, int count, String what, JsonNode value, String path,
      List<FieldError> errors) {
    if (schema.has(maxKey) && count > schema.get(maxKey).asLong()) {
      errors.add(schemaError(path, value, "must have at most " + schema.get(maxKey).asLong() + " " + what + " (has " + count + ")"));
    }
    if (schema.has(minKey) && count < schema.get(minKey).asLong()) {
      errors.add(schemaError(path, value, "must have at least " + schema.get(minKey).asLong() + " " + what + " (has " + count + ")"));
    }
  }

  private static boolean typeMatches(String type, JsonNode value) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "" -> true;
      default -> throw new IllegalArgumentException("unknown schema type " + type);
    };
  }

  /** Keys in order, so an object reads the same whether it came from YAML or from Java types. */
  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      new TreeMap<String, JsonNode>(toMap(node)).forEach((k, v) -> out.set(k, sorted(v)));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(n -> out.add(sorted(n)));
      return out;
    }
    return node;
  }

  private static Map<String, JsonNode> toMap(JsonNode node) {
    Map<String, JsonNode> map = new HashMap<>();
    node.properties().forEach(e -> map.put(e.getKey(), e.getValue()));
    return map;
  }

  private Pattern pattern(String p) {
    return patterns.computeIfAbsent(p, Pattern::compile);
  }

  private static String number(JsonNode n) {
    double d = n.doubleValue();
    return d == Math.rint(d) && Math.abs(d) < 1e18 ? Long.toString((long) d) : n.asText();
  }

  private static FieldError schemaError(String path, JsonNode value, String detail) {
    return new FieldError(path, render(value), detail, FieldError.Source.SCHEMA);
  }

  /** Compact JSON, shortened: an error names the value, it does not dump the object. */
  static String render(JsonNode value) {
    String s = sorted(value).toString();
    return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS - 1) + "…";
  }
}
