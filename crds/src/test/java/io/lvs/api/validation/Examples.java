package io.lvs.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The shipped examples, docs/examples/*.yaml, one entry per YAML document. */
final class Examples {
  /** Tests run in the crds module directory. */
  static final Path DIR = Path.of("").toAbsolutePath().resolveSibling("docs").resolve("examples");

  /** One document of one example file. */
  record Doc(String file, JsonNode object) {
    String kind() {
      return object.path("kind").asText();
    }

    String name() {
      return object.path("metadata").path("name").asText();
    }

    @Override
    public String toString() {
      return file + ": " + kind() + "/" + name();
    }
  }

  private Examples() {}

  static List<Path> files() {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Doc> docs() {
    List<Doc> docs = new ArrayList<>();
    YAMLMapper yaml = new YAMLMapper();
    for (Path f : files()) {
      try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(f.toFile())) {
        while (it.hasNext()) {
          JsonNode n = it.next();
          if (n != null && !n.isNull() && !n.isEmpty()) {
            docs.add(new Doc(f.getFileName().toString(), n));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(f.toString(), e);
      }
    }
    return docs;
  }
}
