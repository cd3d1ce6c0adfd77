package io.lvs.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The operations docs keep up with the code: every condition reason, every metric. */
class DocsTest {
  private static final ProjectFiles FILES = ProjectFiles.locate();
  // a reason literal right after the status argument of a condition, or in an Event/Problem
  private static final Pattern REASON = Pattern.compile(
      "(?:\\.set\\(\\s*Conditions\\.[A-Z_]+,[^\"]*?|condition\\(\\w+, \"(?:True|False)\", |Problem\\(|warning\\(\\w+, )"
          + "\"([A-Z][A-Za-z]+)\"(?:\\s*:\\s*\"([A-Z][A-Za-z]+)\")?(?:\\s*:\\s*\"([A-Z][A-Za-z]+)\")?");
  private static final Pattern METRIC = Pattern.compile("\"(lvs[._][a-z_.]+)\"");

  @Test
  void everyConditionReasonTheCodeSetsIsInTroubleshooting() throws IOException {
    Set<String> reasons = new TreeSet<>();
    for (Path src : sources()) {
      Matcher m = REASON.matcher(Files.readString(src));
      while (m.find()) {
        for (int g = 1; g <= 3; g++) {
          if (m.group(g) != null) {
            reasons.add(m.group(g));
          }
        }
      }
    }
    assertThat(reasons).as("reasons found in the status code").contains("NoDirectors", "AddressInUse", "SyncFailed");
    String doc = Files.readString(FILES.root().resolve("docs/troubleshooting.md"));
    assertThat(reasons).allSatisfy(r -> assertThat(doc).as("docs/troubleshooting.md explains reason %s", r).contains("`" + r + "`"));
  }

  @Test
  void everyMetricTheCodeRegistersIsInTheReferenceAndTheDashboardUsesOnlyThose() throws IOException {
    String doc = Files.readString(FILES.root().resolve("docs/operations.md"));
    Set<String> prometheusNames = new TreeSet<>();
    for (Path src : sources()) {
      Matcher m = METRIC.matcher(Files.readString(src));
      while (m.find()) {
        String name = m.group(1).replace('.', '_').replaceAll("_$", "");
        prometheusNames.add(name);
        assertThat(doc).as("docs/operations.md metrics reference lists %s (from %s)", name, src.getFileName()).contains(name);
      }
    }
    assertThat(prometheusNames).contains("lvs_operator_reconcile", "lvs_agent_sync");
    JsonNode dash = new ObjectMapper().readTree(FILES.root().resolve("docs/grafana/lvs-operator.json").toFile());
    assertThat(dash.get("panels")).isNotEmpty().allSatisfy(p -> p.get("targets").forEach(t -> {
      Matcher m = Pattern.compile("lvs_[a-z_]+").matcher(t.get("expr").asText());
      assertThat(m.find()).as("panel %s queries an lvs_ metric", p.get("title")).isTrue();
      do {
        String used = m.group().replaceAll("_(seconds_sum|seconds_count|total)$", "");
        assertThat(prometheusNames).as("dashboard metric %s is registered by the code", m.group())
            .anyMatch(n -> used.equals(n) || used.startsWith(n + "_"));
      } while (m.find());
    }));
  }

  @Test
  void everyTestTheIpvsadmMappingNamesExists() throws IOException {
    String doc = Files.readString(FILES.root().resolve("docs/seeds-to-resources.md"));
    Map<String, String> tests = new TreeMap<>();
    try (Stream<Path> s = Files.walk(FILES.root())) {
      for (Path p : s.filter(p -> p.toString().contains("/src/test/java/") && p.toString().endsWith(".java")).toList()) {
        tests.put(p.getFileName().toString().replace(".java", ""), Files.readString(p));
      }
    }
    Matcher m = Pattern.compile("`([A-Z][A-Za-z0-9]*(?:Test|IT))(?:\\.([a-zA-Z0-9_]+))?`").matcher(doc);
    int named = 0;
    while (m.find()) {
      named++;
      assertThat(tests).as("docs/seeds-to-resources.md names test class %s", m.group(1)).containsKey(m.group(1));
      if (m.group(2) != null) {
        assertThat(tests.get(m.group(1))).as("%s has a test %s", m.group(1), m.group(2))
            .containsPattern("void " + m.group(2) + "\\(");
      }
    }
    assertThat(named).isGreaterThan(30);
    for (String command : List.of("-A", "-a", "-e", "-d", "-D", "-C", "-S", "-R", "-L", "-l", "-Ln", "--stats", "--rate",
        "--timeout", "-Lnc", "--persistent-conn", "--set", "-p", "-w", "-g", "-m", "-i", "-o", "arp_ignore",
        "arp_announce", "ip_forward", "rp_filter", "dev lo", "keepalived")) {
      assertThat(doc).as("docs/seeds-to-resources.md covers %s", command).contains(command);
    }
  }

  private static Set<Path> sources() throws IOException {
    Set<Path> files = new TreeSet<>();
    for (String dir : new String[] {"operator/src/main/java", "node-agent/src/main/java/io/lvs/agent/runtime"}) {
      try (Stream<Path> s = Files.walk(FILES.root().resolve(dir))) {
        s.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
      }
    }
    return files;
  }
}
