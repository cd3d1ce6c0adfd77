package io.lvs.e2e.chart;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository's files, found from the e2e module directory surefire runs in. */
public record ProjectFiles(Path root) {

  public static ProjectFiles locate() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("helm-chart")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return new ProjectFiles(p);
      }
    }
    throw new IllegalStateException("no helm-chart/ directory above " + dir);
  }

  public Path chart() {
    return root.resolve("helm-chart");
  }

  public Path operatorRules() {
    return root.resolve("operator/src/main/resources/rbac/operator-rules.yaml");
  }

  public Path agentRules() {
    return root.resolve("node-agent/src/main/resources/rbac/agent-rules.yaml");
  }

  public Path viewerRules() {
    return root.resolve("node-agent/src/main/resources/rbac/viewer-rules.yaml");
  }
}
