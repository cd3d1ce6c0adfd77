package io.lvs.agent.ownership;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lvs.agent.model.ServiceKey;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
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
        Snapshot read = readSnapshot();
        base = read.owned();
        generation = read.generation();
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

  /**
   * Writes the set as a new snapshot, one service's JSON tree at a time through a 64 KiB buffer:
   * at 10,000 services x 10 the file is ~5 MB, and a tree of the whole set plus its bytes were
   * four times that on the heap, and a write of them through one temporary direct buffer as large.
   */
  private void snapshot(OwnedSet owned) throws IOException {
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    Files.createDirectories(file.getParent());
    long bytes;
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      JsonGenerator g = json.getFactory().createGenerator(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
      g.writeStartObject();
      g.writeNumberField("format", FORMAT);
      g.writeNumberField("generation", generation + 1);
      g.writeArrayFieldStart("services");
      for (Map.Entry<ServiceKey, OwnedService> e : owned.services().entrySet()) {
        json.writeTree(g, codec.encodeService(e.getKey(), e.getValue()));
      }
      g.writeEndArray();
      ObjectNode small = json.createObjectNode();
      codec.encodeSmallParts(small, owned);
      for (Map.Entry<String, JsonNode> e : small.properties()) {
        g.writeFieldName(e.getKey());
        json.writeTree(g, e.getValue());
      }
      g.writeEndObject();
      g.flush();
      ch.force(true);
      bytes = ch.size();
      g.close();
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    generation++;
    snapshotBytes = bytes;
    journal.clear(); // its records name the previous generation: harmless if a crash keeps them
    stored = owned;
  }

  private record Snapshot(OwnedSet owned, long generation) {}

  /** Reads the snapshot one service's tree at a time (the small parts as one tree). */
  private Snapshot readSnapshot() throws IOException {
    Map<ServiceKey, OwnedService> services = new LinkedHashMap<>();
    ObjectNode rest = json.createObjectNode();
    Integer format = null;
    long gen = 0;
    try (JsonParser p = json.getFactory().createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("format")) {
          format = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
          if (format != FORMAT) {
            throw new IllegalArgumentException("unknown format " + p.getText());
          }
        } else if (field.equals("generation")) {
          gen = p.getValueAsLong(0);
        } else if (field.equals("services") && value == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            JsonNode n = json.readTree(p);
            services.put(OwnedSetJson.decodeKey(n), OwnedSetJson.decodeService(n));
          }
        } else {
          rest.set(field, json.readTree(p));
        }
      }
    }
    if (format == null) {
      throw new IllegalArgumentException("unknown format (none)");
    }
    return new Snapshot(new OwnedSet(services, OwnedSetJson.decodeAddresses(rest), OwnedSetJson.decodeLinks(rest),
        OwnedSetJson.decodeSysctls(rest), OwnedSetJson.decodeTimeouts(rest)), gen);
  }
}
