package io.lvs.agent.runtime.ha;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lvs.agent.ipvs.SyncDaemon;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.runtime.IpLiterals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the HA runtime created and so may remove: the VIP addresses it added and the sync daemons
 * it started, kept in LVS_STATE_DIR/ha-owned.json (temp file + rename) so a restarted agent removes
 * the VIP a previous process left and stops only its own daemons. Separate from the sync loop's
 * owned set: the election thread writes it, and the sync loop must never see an HA VIP as one it
 * should delete. Written before a VIP is added and after it is removed, so a crash between the two
 * leaves an entry for an absent address (harmless), never an address without an entry.
 * Not thread-safe: the election thread owns it.
 */
public final class HaLedger {
  public static final String FILE_NAME = "ha-owned.json";
  private final Path file;
  private final ObjectMapper json = new ObjectMapper();
  private final Set<InterfaceAddress> addresses = new LinkedHashSet<>();
  private final Set<SyncDaemon.State> daemons = EnumSet.noneOf(SyncDaemon.State.class);

  /** Loads {@code stateDir}'s ledger; a file that cannot be read fails loudly (its VIPs would be stranded). */
  public HaLedger(Path stateDir) {
    this.file = stateDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      try {
        JsonNode root = json.readTree(file.toFile());
        for (JsonNode a : root.path("addresses")) {
          addresses.add(new InterfaceAddress(a.path("interface").asText(), IpLiterals.parse(a.path("address").asText()),
              a.path("prefixLength").asInt()));
        }
        for (JsonNode d : root.path("daemons")) {
          daemons.add(SyncDaemon.State.valueOf(d.asText()));
        }
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("read HA ledger " + file + ": " + e.getMessage(), e);
      }
    }
  }

  public Set<InterfaceAddress> addresses() {
    return Set.copyOf(addresses);
  }

  public boolean owns(InterfaceAddress a) {
    return addresses.contains(a);
  }

  public void address(InterfaceAddress a, boolean owned) {
    if (owned ? addresses.add(a) : addresses.remove(a)) {
      save();
    }
  }

  public Set<SyncDaemon.State> daemons() {
    return daemons.isEmpty() ? Set.of() : EnumSet.copyOf(daemons);
  }

  public void daemon(SyncDaemon.State s, boolean owned) {
    if (owned ? daemons.add(s) : daemons.remove(s)) {
      save();
    }
  }

  /** Writes the ledger as it is (at start: the write path is then ready before the first takeover). */
  public void rewrite() {
    save();
  }

  private void save() {
    ObjectNode root = json.createObjectNode();
    ArrayNode list = root.putArray("addresses");
    for (InterfaceAddress a : addresses) {
      list.addObject().put("interface", a.interfaceName()).put("address", a.address().getHostAddress())
          .put("prefixLength", a.prefixLength());
    }
    ArrayNode ds = root.putArray("daemons");
    daemons.forEach(d -> ds.add(d.name()));
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
      Files.write(tmp, json.writeValueAsBytes(root));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("write HA ledger " + file + ": " + e.getMessage(), e);
    }
  }
}
