package io.lvs.agent.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The slices the agent last applied (name, generation, spec each), kept in LVS_STATE_DIR, so an
 * agent restarted while the API server is unreachable keeps repairing drift from the same union
 * instead of waiting with nothing. Written atomically (temp file + rename). A file from an agent
 * before slices ({"generation", "spec"} of the one object named after the node) is read as that
 * node's slice 0, so an upgrade while the API server is away still resumes.
 */
public final class LastSpecStore {
  /** The slices last applied. */
  public record Saved(List<NodeSlice> slices) {
    public Saved {
      slices = List.copyOf(slices);
    }
  }

  /** On disk: {"slices": [...]}, or the old single-object {"generation": g, "spec": {...}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  record FileFormat(List<NodeSlice> slices, Long generation, LvsNodeStateSpec spec) {}

  private final Path file;
  private final String nodeName;

  public LastSpecStore(Path stateDir, String nodeName) {
    this.file = stateDir.resolve("last-spec.json");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
  }

  public Optional<Saved> load() {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      FileFormat f = Serialization.unmarshal(Files.readString(file), FileFormat.class);
      if (f.slices() != null) {
        return Optional.of(new Saved(f.slices()));
      }
      if (f.spec() != null) {
        return Optional.of(new Saved(List.of(new NodeSlice(nodeName, f.generation() == null ? 0 : f.generation(), f.spec()))));
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // a corrupt file is no reason not to start: the API server has the truth
      return Optional.empty();
    }
  }

  public void save(Saved saved) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, Serialization.asJson(new FileFormat(saved.slices(), null, null)));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("save last spec to " + file + ": " + e.getMessage(), e);
    }
  }
}
