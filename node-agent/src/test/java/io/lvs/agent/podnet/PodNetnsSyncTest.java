package io.lvs.agent.podnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.PodNamespaceReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What needs no namespace at all: nothing wanted or recorded, and a node whose namespaces cannot be listed. */
class PodNetnsSyncTest {
  @Test
  void nothingWantedNorRecordedScansNothing(@TempDir Path dir) {
    // a /proc without self/ns/net would fail any scan: none may happen
    PodNetnsSync sync = new PodNetnsSync(new NetnsScanner(dir.resolve("proc"), dir.resolve("run")), dir.resolve("pods"));
    assertThat(sync.apply(PodRealServers.NONE)).isEmpty();
  }

  @Test
  void unlistableNamespacesAreEachPodsReasonNotTheSyncsFailure(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("proc"));
    PodNetnsSync sync = new PodNetnsSync(new NetnsScanner(dir.resolve("proc"), dir.resolve("run")), dir.resolve("pods"));
    Map<String, List<PodNamespaceReport>> r = sync.apply(PodRealServers.of(List.of(
        new NodeAddress("ns/web", "198.18.0.100", 32, "lo", false, null, "10.244.1.5"))));
    assertThat(r.get("ns/web")).singleElement().satisfies(p -> {
      assertThat(p.podIp()).isEqualTo("10.244.1.5");
      assertThat(p.configured()).isFalse();
      assertThat(p.reason()).startsWith("cannot list this node's network namespaces: cannot read ");
    });
  }
}
