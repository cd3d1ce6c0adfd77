package io.lvs.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a new CRD breaks for users of a released one (after Flink's CrdCompatibilityChecker): a
 * served version that is gone, a property that is gone, a property whose type changed, an enum
 * value that is gone. Adding is always allowed. Pure: two parsed CRDs in, problems out.
 */
final class CrdCompatibility {
  private CrdCompatibility() {}

  static List<String> problems(JsonNode released, JsonNode current) {
    List<String> out = new ArrayList<>();
    String crd = released.path("metadata").path("name").asText();
    for (JsonNode old : released.path("spec").path("versions")) {
      String version = old.path("name").asText();
      JsonNode now = version(current, version);
      if (now == null) {
        out.add(crd + ": version " + version + " removed");
        continue;
      }
      compare(crd + "/" + version, old.path("schema").path("openAPIV3Schema"), now.path("schema").path("openAPIV3Schema"), out);
    }
    return out;
  }

  private static JsonNode version(JsonNode crd, String name) {
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (name.equals(v.path("name").asText())) {
        return v;
      }
    }
    return null;
  }

  private static void compare(String path, JsonNode old, JsonNode now, List<String> out) {
    String oldType = old.path("type").asText(null);
    String newType = now.path("type").asText(null);
    if (oldType != null && !oldType.equals(newType)) {
      out.add(path + ": type changed from " + oldType + " to " + newType);
      return;
    }
    if (old.has("enum")) {
      Set<String> kept = new HashSet<>();
      now.path("enum").forEach(v -> kept.add(v.asText()));
      old.path("enum").forEach(v -> {
        if (now.has("enum") && !kept.contains(v.asText())) {
          out.add(path + ": enum value " + v.asText() + " removed");
        }
      });
    }
    for (Map.Entry<String, JsonNode> p : iterable(old.path("properties"))) {
      JsonNode counterpart = now.path("properties").get(p.getKey());
      if (counterpart == null) {
        out.add(path + "." + p.getKey() + ": property removed");
      } else {
        compare(path + "." + p.getKey(), p.getValue(), counterpart, out);
      }
    }
    if (old.has("items")) {
      compare(path + "[]", old.get("items"), now.path("items"), out);
    }
    if (old.path("additionalProperties").isObject()) {
      compare(path + "{}", old.get("additionalProperties"), now.path("additionalProperties"), out);
    }
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
    return node::fields;
  }
}
