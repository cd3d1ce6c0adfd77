package io.lvs.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.lvs.api.v1alpha1.Patterns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders docs/crd-reference.md from the CRDs as they are checked in: one table of fields per
 * kind (path, type, required, constraints, description), the CEL rules with their messages, and
 * the kubectl names and columns.
 */
final class CrdReference {
  private static final Map<String, String> PATTERN_NAMES =
      Map.of(Patterns.IP, "IPv4 or IPv6 literal", Patterns.DNS_LABEL, "DNS-1123 label");

  private CrdReference() {}

  static String render() {
    StringBuilder md = new StringBuilder();
    md.append("# CRD reference: `lvs.io/v1alpha1`\n\n")
        .append("<!-- Generated from crds/*.yml by CrdReference (crds module tests). Do not edit; refresh with\n")
        .append("     mvn -B -pl crds -Pregenerate-crds verify -->\n\n")
        .append("Users write a **VirtualService** (the `ipvsadm -A` line and the nodes that direct it) and a\n")
        .append("**RealServerPool** (the `ipvsadm -a` lines). **LvsNodeState** is internal: one or more slices per node, written\n")
        .append("by the operator (spec) and that node's agent (status). **LvsNodeConfig** (cluster-scoped) sets node-level\n")
        .append("IPVS settings, the connection timeouts of `ipvsadm --set`, on the nodes its selector picks.\n")
        .append("Worked examples: [docs/examples](examples/).\n\n")
        .append("Validation is one rule set: the OpenAPI schema below is enforced by the API server, the CEL\n")
        .append("rules by API servers 1.25+ (older ones drop them), and both by the operator through\n")
        .append("`io.lvs.api.validation.SpecValidator`, which reads these same CRDs.\n\n")
        .append("| kind | scope | short names | categories | `kubectl get` columns |\n|---|---|---|---|---|\n");
    List<JsonNode> crds = new ArrayList<>();
    for (ApiKind kind : ApiKind.values()) {
      crds.add(CrdPostProcessor.parse(CrdPostProcessor.render(kind)));
    }
    for (JsonNode crd : crds) {
      JsonNode names = crd.path("spec").path("names");
      List<String> columns = new ArrayList<>();
      columns.add("NAME");
      for (JsonNode c : crd.path("spec").path("versions").get(0).path("additionalPrinterColumns")) {
        columns.add(c.path("name").asText() + (c.path("priority").asInt() > 0 ? " (wide)" : ""));
      }
      md.append("| ").append(names.path("kind").asText())
          .append(" | ").append(crd.path("spec").path("scope").asText())
          .append(" | ").append(join(names.path("shortNames")))
          .append(" | ").append(join(names.path("categories")))
          .append(" | ").append(String.join(", ", columns)).append(" |\n");
    }
    for (JsonNode crd : crds) {
      kind(md, crd);
    }
    return md.toString();
  }

  private static void kind(StringBuilder md, JsonNode crd) {
    JsonNode names = crd.path("spec").path("names");
    JsonNode version = crd.path("spec").path("versions").get(0);
    JsonNode root = version.path("schema").path("openAPIV3Schema");
    md.append("\n## ").append(names.path("kind").asText()).append("\n\n");
    md.append("`").append(crd.path("metadata").path("name").asText()).append("`, ")
        .append(crd.path("spec").path("scope").asText().toLowerCase()).append(", `status` subresource: ")
        .append(version.path("subresources").has("status") ? "yes" : "no").append(".\n");
    for (String part : List.of("spec", "status")) {
      JsonNode schema = root.path("properties").path(part);
      if (schema.isMissingNode()) {
        continue;
      }
      md.append("\n### ").append(part).append("\n\n| field | type | required | constraints | description |\n|---|---|---|---|---|\n");
      List<String[]> rules = new ArrayList<>();
      fields(md, schema, part, rules);
      if (!rules.isEmpty()) {
        md.append("\nCEL rules (`x-kubernetes-validations`):\n\n| on | rule | message |\n|---|---|---|\n");
        for (String[] r : rules) {
          md.append("| `").append(r[0]).append("` | `").append(cell(r[1])).append("` | ").append(cell(r[2])).append(" |\n");
        }
      }
    }
  }

  private static void fields(StringBuilder md, JsonNode schema, String path, List<String[]> rules) {
    for (JsonNode r : schema.path("x-kubernetes-validations")) {
      rules.add(new String[] {path + r.path("fieldPath").asText(""), r.path("rule").asText(), r.path("message").asText()});
    }
    Set<String> required = new TreeSet<>();
    schema.path("required").forEach(n -> required.add(n.asText()));
    for (Map.Entry<String, JsonNode> e : schema.path("properties").properties()) {
      String p = path + "." + e.getKey();
      JsonNode f = e.getValue();
      md.append("| `").append(p).append("` | ").append(type(f)).append(" | ")
          .append(required.contains(e.getKey()) ? "yes" : "").append(" | ")
          .append(cell(constraints(f))).append(" | ")
          .append(cell(f.path("description").asText(""))).append(" |\n");
      descend(md, f, p, rules);
    }
  }

  private static void descend(StringBuilder md, JsonNode f, String p, List<String[]> rules) {
    String type = f.path("type").asText();
    if (type.equals("object") && f.has("properties")) {
      fields(md, f, p, rules);
    } else if (type.equals("array") && f.path("items").path("type").asText().equals("object")) {
      fields(md, f.path("items"), p + "[]", rules);
    }
  }

  private static String type(JsonNode f) {
    String type = f.path("type").asText();
    if (type.equals("array")) {
      return "[]" + f.path("items").path("type").asText();
    }
    if (type.equals("object") && f.has("additionalProperties")) {
      return "map[string]" + f.path("additionalProperties").path("type").asText();
    }
    return type;
  }

  private static String constraints(JsonNode f) {
    List<String> c = new ArrayList<>();
    JsonNode enumNode = f.has("enum") ? f.get("enum") : f.path("items").path("enum");
    if (enumNode.isArray()) {
      List<String> values = new ArrayList<>();
      enumNode.forEach(v -> values.add(v.asText()));
      c.add("one of " + String.join(", ", values));
    }
    if (f.has("minimum") || f.has("maximum")) {
      c.add(f.path("minimum").asText("…") + " to " + f.path("maximum").asText("…"));
    }
    String pattern = f.path("pattern").asText(null);
    if (pattern != null) {
      c.add(PATTERN_NAMES.getOrDefault(pattern, "matches `" + pattern + "`"));
    }
    bound(c, f, "minLength", "maxLength", "characters");
    bound(c, f, "minItems", "maxItems", "items");
    bound(c, f, "minProperties", "maxProperties", "entries");
    return String.join("; ", c);
  }

  private static void bound(List<String> c, JsonNode f, String min, String max, String what) {
    if (f.has(min) && f.has(max)) {
      c.add(f.get(min).asText() + " to " + f.get(max).asText() + " " + what);
    } else if (f.has(min)) {
      c.add("at least " + f.get(min).asText() + " " + what);
    } else if (f.has(max)) {
      c.add("at most " + f.get(max).asText() + " " + what);
    }
  }

  private static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add("`" + n.asText() + "`"));
    return String.join(", ", out);
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
