package io.lvs.agent.ownership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lvs.agent.model.ServiceKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The owned set on disk (LVS_STATE_DIR): a snapshot, {@code owned.json}, and a journal of what
 * changed since, {@code owned.journal} (one record per save: the services put or removed and, when
 * they changed, the addresses, links and sysctls). A save appends one record and fsyncs it, so a
 * one-destination change writes a few hundred bytes, not the whole multi-MiB set; once the journal
 * outgrows {@link #compactAt} the set is written as a new snapshot (temporary file, fsync, rename)
 * and the journal is cleared. Each snapshot has a generation and each record names the one it
 * follows, so records left by a crash between the rename and the clear are ignored. A crash leaves
 * the old or the new set, never a mix. A file that cannot be read fails the load loudly: treating
 * it as empty would be safe for foreign objects but would strand this agent's own.
 */
public final class FileOwnershipStore implements OwnershipStore {
  public static final String FILE_NAME = "owned.json";
  public static final String JOURNAL_NAME = "owned.journal";
  private static final int FORMAT = 1;

  private final Path file;
  private final OwnershipJournal journal;
  private final ObjectMapper json = new ObjectMapper();
  private final OwnedSetJson codec = new OwnedSetJson(json);
  /** What the files hold now; null until loaded. */
  private OwnedSet stored;
  private long generation;
  private long snapshotBytes;

  public FileOwnershipStore(Path stateDir) {
    this.file = stateDir.resolve(FILE_NAME);
    this.journal = new OwnershipJournal(stateDir.resolve(JOURNAL_NAME));
  }

  public Path file() {
    return file;
  }

  public Path journalFile() {
    return journal.file();
  }

  @Override
  public synchronized OwnedSet load() {
    try {
      OwnedSet base = OwnedSet.EMPTY;
      generation = 0;
      snapshotBytes = 0;
      if (Files.exists(file)) {
        JsonNode root = json.readTree(file.toFile());
        base = decode(root);
        generation = root.path("generation").asLong(0);
        snapshotBytes = Files.size(file);
      }
      for (String record : journal.read()) {
        JsonNode r = json.readTree(record);
        if (r.path("generation").asLong(-1) == generation) {
          base = JournalRecord.apply(base, r);
        }
      }
      stored = base;
      return base;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("read owned set " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void save(OwnedSet owned) {
    if (stored == null) {
      load();
    }
    try {
      if (!Files.exists(file)) {
        snapshot(owned);
        return;
      }
      ObjectNode record = JournalRecord.of(codec, json, generation, stored, owned);
      if (record == null) {
        return; // nothing changed
      }
      String text = json.writeValueAsString(record);
      if (journal.size() + text.length() > compactAt()) {
        snapshot(owned);
      } else {
        journal.append(text);
        stored = owned;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("write owned set " + file + ": " + e.getMessage(), e);
    }
  }

  /** Journal bytes beyond which a save writes a snapshot instead: replay stays a fraction of the set. */
  long compactAt() {
    return Math.max(256 * 1024, snapshotBytes / 2);
  }

  private void snapshot(OwnedSet owned) throws IOException {
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    Files.createDirectories(file.getParent());
    byte[] bytes = json.writeValueAsBytes(encode(owned, generation + 1));
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    generation++;
    snapshotBytes = bytes.length;
    journal.clear(); // its records name the previous generation: harmless if a crash keeps them
    stored = owned;
  }

  private JsonNode encode(OwnedSet owned, long gen) {
    ObjectNode root = json.createObjectNode();
    root.put("format", FORMAT);
    root.put("generation", gen);
    ArrayNode services = root.putArray("services");
    owned.services().forEach((k, s) -> services.add(codec.encodeService(k, s)));
    codec.encodeSmallParts(root, owned);
    return root;
  }

  private static OwnedSet decode(JsonNode root) throws IOException {
    int format = root.path("format").asInt(-1);
    if (format != FORMAT) {
      throw new IllegalArgumentException("unknown format " + root.path("format"));
    }
    Map<ServiceKey, OwnedService> services = new LinkedHashMap<>();
    for (JsonNode n : root.path("services")) {
      services.put(OwnedSetJson.decodeKey(n), OwnedSetJson.decodeService(n));
    }
    return new OwnedSet(services, OwnedSetJson.decodeAddresses(root), OwnedSetJson.decodeLinks(root),
        OwnedSetJson.decodeSysctls(root), OwnedSetJson.decodeTimeouts(root));
  }
}
