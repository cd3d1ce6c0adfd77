package io.lvs.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operations docs keep up with the code (every condition reason, every metric), and every
 * user-facing doc stands alone: no internal jargon, no path outside this repository.
 */
class DocsTest {
  private static final ProjectFiles FILES = ProjectFiles.locate();
  // "shared/" is the development machine's notes folder, not part of the repository; "seed lab",
  // "the seeds" is what the project's authors called the hand-run LVS labs it started from
  static final Pattern INTERNAL = Pattern.compile("shared/|(?i)\\bseed(?:s'?|[- ]labs?|[- ]notes?)?(?![\\w-])");
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

  @Test
  void theJargonPatternCatchesWhatItMeansOnly() {
    for (String bad : List.of("points at `shared/seeds/`", "One example per seed lab", "the seeds' eth0",
        "The node agent's seed-lab tests", "the seed notes' DR", "as in the seed)")) {
      assertThat(INTERNAL.matcher(bad).find()).as(bad).isTrue();
    }
    for (String fine : List.of("200 seeded random specs", "`SeedLabsKernelTest`", "a shared segment")) {
      assertThat(INTERNAL.matcher(fine).find()).as(fine).isFalse();
    }
  }

  @Test
  void userFacingDocsNeverMentionTheInternalNotesOrTheirJargon() throws IOException {
    List<String> hits = new ArrayList<>();
    List<Path> docs = userFacingDocs();
    assertThat(docs).as("user-facing docs found").extracting(p -> FILES.root().relativize(p).toString())
        .contains("README.md", "docs/modes.md", "docs/examples/dr-rr.yaml", "helm-chart/templates/NOTES.txt", "node-agent/README.md");
    for (Path doc : docs) {
      List<String> lines = Files.readAllLines(doc);
      for (int i = 0; i < lines.size(); i++) {
        if (INTERNAL.matcher(lines.get(i)).find()) {
          hits.add(FILES.root().relativize(doc) + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    }
    assertThat(hits).as("user-facing docs must stand alone: write for an operator who knows LVS from the classic "
        + "LVS-NAT/DR/TUN howtos, without this project's notes folder or its \"seed lab\" name").isEmpty();
  }

  /** README.md, every module's README.md, everything under docs/ and helm-chart/. */
  static List<Path> userFacingDocs() throws IOException {
    List<Path> out = new ArrayList<>();
    out.add(FILES.root().resolve("README.md"));
    try (Stream<Path> modules = Files.list(FILES.root())) {
      modules.map(m -> m.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(out::add);
    }
    for (String dir : List.of("docs", "helm-chart")) {
      try (Stream<Path> s = Files.walk(FILES.root().resolve(dir))) {
        s.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/target/")).sorted().forEach(out::add);
      }
    }
    return out;
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
