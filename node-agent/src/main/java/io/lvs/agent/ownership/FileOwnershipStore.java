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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The owned set as a JSON file (LVS_STATE_DIR/owned.json). A save writes a temporary file in the
 * same directory, fsyncs it and renames it over the old one, so a crash leaves the old or the new
 * set, never half of one. A file that cannot be read fails the load loudly: treating it as empty
 * would be safe for foreign objects but would strand this agent's own.
 */
public final class FileOwnershipStore implements OwnershipStore {
  public static final String FILE_NAME = "owned.json";
  private static final int FORMAT = 1;

  private final Path file;
  private final ObjectMapper json = new ObjectMapper();

  public FileOwnershipStore(Path stateDir) {
    this.file = stateDir.resolve(FILE_NAME);
  }

  public Path file() {
    return file;
  }

  @Override
  public OwnedSet load() {
    if (!Files.exists(file)) {
      return OwnedSet.EMPTY;
    }
    try {
      return decode(json.readTree(file.toFile()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("read owned set " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void save(OwnedSet owned) {
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(encode(owned));
      try (FileChannel ch =
          FileChannel.open(
              tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("write owned set " + file + ": " + e.getMessage(), e);
    }
  }

  private JsonNode encode(OwnedSet owned) {
    ObjectNode root = json.createObjectNode();
    root.put("format", FORMAT);
    ArrayNode services = root.putArray("services");
    owned.services().forEach((k, s) -> {
      ObjectNode n = services.addObject();
      n.put("family", k.family().name());
      if (k.isFwmark()) {
        n.put("fwmark", k.fwmark());
      } else {
        n.put("protocol", k.protocol().name());
        n.put("address", k.address().getHostAddress());
        n.put("port", k.port());
      }
      n.put("owner", s.owner());
      ArrayNode dests = n.putArray("destinations");
      s.destinations().forEach(d -> dests.addObject().put("address", d.address().getHostAddress()).put("port", d.port()));
    });
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
    return root;
  }

  private static void owners(ObjectNode n, Set<String> owners) {
    ArrayNode a = n.putArray("owners");
    owners.forEach(a::add);
  }

  private static OwnedSet decode(JsonNode root) throws UnknownHostException {
    int format = root.path("format").asInt(-1);
    if (format != FORMAT) {
      throw new IllegalArgumentException("unknown format " + root.path("format"));
    }
    Map<ServiceKey, OwnedService> services = new LinkedHashMap<>();
    for (JsonNode n : root.path("services")) {
      Family family = Family.valueOf(text(n, "family"));
      ServiceKey key = n.has("fwmark")
          ? ServiceKey.ofFwmark(family, n.get("fwmark").asLong())
          : new ServiceKey(family, IpProtocol.valueOf(text(n, "protocol")), address(n), n.path("port").asInt(), 0);
      Set<DestinationKey> dests = new LinkedHashSet<>();
      for (JsonNode d : n.path("destinations")) {
        dests.add(new DestinationKey(address(d), d.path("port").asInt()));
      }
      services.put(key, new OwnedService(text(n, "owner"), dests));
    }
    Map<InterfaceAddress, SortedSet<String>> addresses = new LinkedHashMap<>();
    for (JsonNode n : root.path("addresses")) {
      addresses.put(new InterfaceAddress(text(n, "interface"), address(n), n.path("prefixLength").asInt()), owners(n));
    }
    Map<String, SortedSet<String>> links = new LinkedHashMap<>();
    for (JsonNode n : root.path("links")) {
      links.put(text(n, "name"), owners(n));
    }
    Map<String, OwnedSysctl> sysctls = new LinkedHashMap<>();
    for (JsonNode n : root.path("sysctls")) {
      sysctls.put(text(n, "key"), new OwnedSysctl(text(n, "original"), text(n, "value"), owners(n)));
    }
    return new OwnedSet(services, addresses, links, sysctls);
  }

  private static String text(JsonNode n, String field) {
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
