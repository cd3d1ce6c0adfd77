package io.lvs.agent.ownership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lvs.agent.model.ServiceKey;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One journal record: the difference between two owned sets. {@code put}: services added or
 * changed, whole; {@code removed}: keys of services gone; {@code small}: the addresses, links and
 * sysctls (few), whole, only when they changed.
 */
final class JournalRecord {
  private JournalRecord() {}

  /** The record taking {@code before} to {@code after}; null when they are equal. */
  static ObjectNode of(OwnedSetJson codec, ObjectMapper json, long generation, OwnedSet before, OwnedSet after) {
    ObjectNode r = json.createObjectNode();
    r.put("generation", generation);
    ArrayNode put = r.putArray("put");
    ArrayNode removed = r.putArray("removed");
    Map<ServiceKey, OwnedService> was = before.services();
    after.services().forEach((k, s) -> {
      OwnedService prev = was.get(k);
      if (prev != s && !s.equals(prev)) {
        put.add(codec.encodeService(k, s));
      }
    });
    for (ServiceKey k : was.keySet()) {
      if (!after.services().containsKey(k)) {
        removed.add(codec.encodeKey(k));
      }
    }
    boolean small = !before.addresses().equals(after.addresses()) || !before.links().equals(after.links())
        || !before.sysctls().equals(after.sysctls()) || !before.timeouts().equals(after.timeouts());
    if (small) {
      codec.encodeSmallParts(r.putObject("small"), after);
    }
    return put.isEmpty() && removed.isEmpty() && !small ? null : r;
  }

  /** {@code base} with the record applied. */
  static OwnedSet apply(OwnedSet base, JsonNode r) throws IOException {
    Map<ServiceKey, OwnedService> services = new LinkedHashMap<>(base.services());
    for (JsonNode n : r.path("removed")) {
      services.remove(OwnedSetJson.decodeKey(n));
    }
    for (JsonNode n : r.path("put")) {
      services.put(OwnedSetJson.decodeKey(n), OwnedSetJson.decodeService(n));
    }
    JsonNode small = r.get("small");
    if (small == null) {
      return new OwnedSet(services, base.addresses(), base.links(), base.sysctls(), base.timeouts());
    }
    return new OwnedSet(services, OwnedSetJson.decodeAddresses(small), OwnedSetJson.decodeLinks(small),
        OwnedSetJson.decodeSysctls(small), OwnedSetJson.decodeTimeouts(small));
  }
}
