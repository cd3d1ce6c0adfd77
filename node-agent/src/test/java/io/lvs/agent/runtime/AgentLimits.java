package io.lvs.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the shipped artifacts give the agent: the chart's default memory limit
 * (helm-chart/values.yaml agent.resources.limits.memory) and the image's JVM flags and environment
 * (node-agent's Jib configuration), read from the files so a test follows them instead of copying them.
 */
final class AgentLimits {
  private AgentLimits() {}

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(p.resolve("helm-chart/values.yaml"))) {
      p = p.getParent();
      if (p == null) {
        throw new IllegalStateException("helm-chart/values.yaml not found above " + Path.of("").toAbsolutePath());
      }
    }
    return p;
  }

  static long memoryLimitBytes(Path root) throws IOException {
    JsonNode v = new YAMLMapper().readTree(root.resolve("helm-chart/values.yaml").toFile())
        .path("agent").path("resources").path("limits").path("memory");
    if (!v.isTextual()) {
      throw new IllegalStateException("helm-chart/values.yaml: agent.resources.limits.memory missing: " + v);
    }
    return quantity(v.asText());
  }

  /** A Kubernetes memory quantity in bytes: 320Mi, 1Gi, 500M, 1000000. */
  static long quantity(String q) {
    Matcher m = Pattern.compile("([0-9]+)(Ki|Mi|Gi|k|M|G)?").matcher(q.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("memory quantity " + q);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    return switch (unit) {
      case "Ki" -> n << 10;
      case "Mi" -> n << 20;
      case "Gi" -> n << 30;
      case "k" -> n * 1_000;
      case "M" -> n * 1_000_000;
      case "G" -> n * 1_000_000_000;
      default -> n;
    };
  }

  /** The agent image's JVM flags: node-agent's own Jib jvmFlags, else the root pom's. */
  static List<String> imageJvmFlags(Path root) throws IOException {
    Matcher block = JVM_FLAGS.matcher(Files.readString(root.resolve("node-agent/pom.xml")));
    if (!block.find()) {
      block = JVM_FLAGS.matcher(Files.readString(root.resolve("pom.xml")));
      if (!block.find()) {
        throw new IllegalStateException("pom.xml: no <jvmFlags> in the Jib configuration");
      }
    }
    List<String> flags = new ArrayList<>();
    Matcher f = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>").matcher(block.group(1));
    while (f.find()) {
      flags.add(f.group(1).strip());
    }
    return flags;
  }

  /** The agent image's environment (node-agent's Jib container environment), e.g. MALLOC_ARENA_MAX. */
  static Map<String, String> imageEnvironment(Path root) throws IOException {
    Matcher block = Pattern.compile("<environment>(.*?)</environment>", Pattern.DOTALL)
        .matcher(Files.readString(root.resolve("node-agent/pom.xml")));
    Map<String, String> env = new TreeMap<>();
    if (block.find()) {
      Matcher e = Pattern.compile("<([A-Za-z_][A-Za-z0-9_]*)>([^<]*)</\\1>").matcher(block.group(1));
      while (e.find()) {
        env.put(e.group(1), e.group(2).strip());
      }
    }
    return env;
  }

  private static final Pattern JVM_FLAGS = Pattern.compile("<jvmFlags[^>]*>(.*?)</jvmFlags>", Pattern.DOTALL);
}
