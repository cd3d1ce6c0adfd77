package io.lvs.e2e.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The lab installs every CRD the product ships: an operator missing one stops at start (its informer fails). */
class LabCrdsTest {
  @Test
  void everyCheckedInCrdIsInstalled() throws IOException {
    Path module = Path.of("").toAbsolutePath();
    List<Path> installed = Lab.crdFiles(module);
    try (Stream<Path> shipped = Files.list(module.resolveSibling("crds"))) {
      List<Path> all = shipped.filter(p -> p.getFileName().toString().endsWith(".lvs.io-v1.yml")).toList();
      assertThat(all).isNotEmpty();
      assertThat(installed).containsAll(all);
    }
    installed.forEach(p -> assertThat(p).exists());
  }
}
