package io.lvs.e2e.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * What a container started from a jib:buildTar image can run: every path in its layers and the
 * PATH its configuration sets.
 *
 * @param files every layer's entries, without a leading slash (usr/bin/env)
 * @param path the directories of the image's PATH, in order
 */
record ImageContents(Set<String> files, List<String> path) {
  private static final ObjectMapper JSON = new ObjectMapper();

  ImageContents {
    files = Set.copyOf(files);
    path = List.copyOf(path);
  }

  static ImageContents read(Path tarball) throws IOException {
    Map<String, TarReader.Entry> outer;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball))) {
      outer = TarReader.read(in, n -> true);
    }
    JsonNode manifest = JSON.readTree(outer.get("manifest.json").content()).get(0);
    JsonNode config = JSON.readTree(outer.get(manifest.get("Config").asText()).content());
    Set<String> files = new TreeSet<>();
    for (JsonNode layer : manifest.get("Layers")) {
      try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(outer.get(layer.asText()).content()), 1 << 16)) {
        TarReader.read(gz, n -> false).keySet().forEach(f -> files.add(f.replaceAll("/$", "")));
      }
    }
    List<String> path = new ArrayList<>();
    for (JsonNode env : config.get("config").get("Env")) {
      if (env.asText().startsWith("PATH=")) {
        path.addAll(List.of(env.asText().substring(5).split(":")));
      }
    }
    return new ImageContents(files, path);
  }

  /** Whether {@code command} (a name looked up in PATH, or an absolute path) exists in the image. */
  boolean canRun(String command) {
    if (command.startsWith("/")) {
      return files.contains(command.substring(1));
    }
    return path.stream().anyMatch(dir -> files.contains((dir + "/" + command).replaceAll("^/+", "")));
  }
}
