package io.lvs.agent.ownership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.Family;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.ServiceKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The JSON form of an {@link OwnedSet} and of its parts (one service, the addresses, links and
 * sysctls), shared by the snapshot file and the journal's records.
 */
final class OwnedSetJson {
  private final ObjectMapper json;

  OwnedSetJson(ObjectMapper json) {
    this.json = json;
  }

  ObjectNode encodeService(ServiceKey k, OwnedService s) {
    ObjectNode n = encodeKey(k);
    n.put("owner", s.owner());
    ArrayNode dests = n.putArray("destinations");
    s.destinations().forEach(d -> dests.addObject().put("address", d.address().getHostAddress()).put("port", d.port()));
    return n;
  }

  ObjectNode encodeKey(ServiceKey k) {
    ObjectNode n = json.createObjectNode();
    n.put("family", k.family().name());
    if (k.isFwmark()) {
      n.put("fwmark", k.fwmark());
    } else {
      n.put("protocol", k.protocol().name());
      n.put("address", k.address().getHostAddress());
      n.put("port", k.port());
    }
    return n;
  }

  /** Writes the addresses, links and sysctls sections into {@code root}. */
  void encodeSmallParts(ObjectNode root, OwnedSet owned) {
    ArrayNode addresses = root.putArray("addresses");
    owned.addresses().forEach((a, owners) -> {
      ObjectNode n = addresses.addObject();
      n.put("interface", a.interfaceName());
      n.put("address", a.address().getHostAddress());
      n.put("prefixLength", a.prefixLength());
      owners(n, owners);
    });
    ArrayNode links = root.putArray("links");
    owned.links().forEach((name, owners) -> owners(links.addObject().put("name", name), owners));
    ArrayNode sysctls = root.putArray("sysctls");
    owned.sysctls().forEach((key, s) -> owners(
        sysctls.addObject().put("key", key).put("original", s.original()).put("value", s.value()), s.owners()));
    if (!owned.timeouts().isEmpty()) {
      ObjectNode t = root.putObject("timeouts");
      putIfSet(t, "tcpOriginal", owned.timeouts().tcpOriginal());
      putIfSet(t, "tcpFinOriginal", owned.timeouts().tcpFinOriginal());
      putIfSet(t, "udpOriginal", owned.timeouts().udpOriginal());
    }
  }

  private static void putIfSet(ObjectNode n, String field, Integer value) {
    if (value != null) {
      n.put(field, value);
    }
  }

  /** Absent in files written before timeouts existed: none changed. */
  static OwnedTimeouts decodeTimeouts(JsonNode root) {
    JsonNode t = root.path("timeouts");
    return new OwnedTimeouts(intOrNull(t, "tcpOriginal"), intOrNull(t, "tcpFinOriginal"), intOrNull(t, "udpOriginal"));
  }

  private static Integer intOrNull(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.canConvertToInt() ? null : v.asInt();
  }

  private static void owners(ObjectNode n, Set<String> owners) {
    ArrayNode a = n.putArray("owners");
    owners.forEach(a::add);
  }

  static ServiceKey decodeKey(JsonNode n) throws UnknownHostException {
    Family family = Family.valueOf(text(n, "family"));
    return n.has("fwmark")
        ? ServiceKey.ofFwmark(family, n.get("fwmark").asLong())
        : new ServiceKey(family, IpProtocol.valueOf(text(n, "protocol")), address(n), n.path("port").asInt(), 0);
  }

  static OwnedService decodeService(JsonNode n) throws UnknownHostException {
    Set<DestinationKey> dests = new LinkedHashSet<>();
    for (JsonNode d : n.path("destinations")) {
      dests.add(new DestinationKey(address(d), d.path("port").asInt()));
    }
    return new OwnedService(text(n, "owner"), dests);
  }

  static Map<InterfaceAddress, SortedSet<String>> decodeAddresses(JsonNode root) throws UnknownHostException {
    Map<InterfaceAddress, SortedSet<String>> addresses = new LinkedHashMap<>();
    for (JsonNode n : root.path("addresses")) {
      addresses.put(new InterfaceAddress(text(n, "interface"), address(n), n.path("prefixLength").asInt()), owners(n));
    }
    return addresses;
  }

  static Map<String, SortedSet<String>> decodeLinks(JsonNode root) {
    Map<String, SortedSet<String>> links = new LinkedHashMap<>();
    for (JsonNode n : root.path("links")) {
      links.put(text(n, "name"), owners(n));
    }
    return links;
  }

  static Map<String, OwnedSysctl> decodeSysctls(JsonNode root) {
    Map<String, OwnedSysctl> sysctls = new LinkedHashMap<>();
    for (JsonNode n : root.path("sysctls")) {
      sysctls.put(text(n, "key"), new OwnedSysctl(text(n, "original"), text(n, "value"), owners(n)));
    }
    return sysctls;
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing field " + field + " in " + n);
    }
    return v.asText();
  }

  /** Only numeric addresses are written, so this never resolves a name. */
  private static InetAddress address(JsonNode n) throws UnknownHostException {
    String a = text(n, "address");
    if (!a.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not a numeric address: " + a);
    }
    return InetAddress.getByName(a);
  }

  private static SortedSet<String> owners(JsonNode n) {
    List<String> l = new ArrayList<>();
    n.path("owners").forEach(o -> l.add(o.asText()));
    return new TreeSet<>(l);
  }
}
