package io.lvs.agent.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lvs.agent.runtime.k8s.KubeJson;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The slices the agent last applied (name, generation, spec each), kept in LVS_STATE_DIR, so an
 * agent restarted while the API server is unreachable keeps repairing drift from the same union
 * instead of waiting with nothing. Written atomically (temp file + rename).
 */
public final class LastSpecStore {
  /** The slices last applied. */
  public record Saved(List<NodeSlice> slices) {
    public Saved {
      slices = List.copyOf(slices);
    }
  }

  private final Path file;
  private final ObjectMapper json = KubeJson.mapper();

  public LastSpecStore(Path stateDir) {
    this.file = stateDir.resolve("last-spec.json");
  }

  public Optional<Saved> load() {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        return Optional.of(json.readValue(in, Saved.class));
      }
    } catch (IOException | RuntimeException e) {
      // a corrupt file is no reason not to start: the API server has the truth
      return Optional.empty();
    }
  }

  public void save(Saved saved) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      // streamed: at 10,000 services the JSON is ~10 MB, and as a String it was two copies per change
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        json.writeValue(out, saved);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("save last spec to " + file + ": " + e.getMessage(), e);
    }
  }
}
