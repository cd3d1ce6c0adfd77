package io.lvs.agent.kernellab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The commands docs/benchmarks.md gives work on a fresh clone: a block that runs
 * e2e/kernel-lab/run-tests-in-vm.sh by hand first runs Maven up to a phase that writes what the
 * script needs (node-agent/pom.xml binds the test class path file and the console launcher to a
 * phase; test-compile, the phase before, left them unwritten), and every class, module and
 * script a documented command names exists. Checked against the pom and the tree, not by running
 * Maven (a nested Maven inside the build would rewrite the build's own target/).
 */
class BenchmarkDocCommandsTest {
  /** Maven's default lifecycle, in order (the phases a command line may name). */
  static final List<String> PHASES = List.of("validate", "initialize", "generate-sources", "process-sources",
      "generate-resources", "process-resources", "compile", "process-classes", "generate-test-sources",
      "process-test-sources", "generate-test-resources", "process-test-resources", "test-compile",
      "process-test-classes", "test", "prepare-package", "package", "pre-integration-test", "integration-test",
      "post-integration-test", "verify", "install", "deploy");
  static final Pattern FENCE = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL);

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (!Files.exists(p.resolve("docs/benchmarks.md"))) {
      p = p.getParent();
      assertThat(p).as("docs/benchmarks.md above the working directory").isNotNull();
    }
    return p;
  }

  /** The command blocks, continuation lines joined. */
  static List<String> blocks() throws IOException {
    List<String> out = new ArrayList<>();
    Matcher m = FENCE.matcher(Files.readString(root().resolve("docs/benchmarks.md")));
    while (m.find()) {
      out.add(m.group(1).replaceAll("\\\\\\n\\s*", " "));
    }
    return out;
  }

  /** The phase node-agent/pom.xml binds the execution with this id to. */
  static String phaseOf(String executionId) throws IOException {
    String pom = Files.readString(root().resolve("node-agent/pom.xml"));
    Matcher m = Pattern.compile("<id>" + Pattern.quote(executionId) + "</id>\\s*<phase>([a-z-]+)</phase>").matcher(pom);
    assertThat(m.find()).as("execution %s with a phase in node-agent/pom.xml", executionId).isTrue();
    return m.group(1);
  }

  @Test
  void aBlockThatRunsTheVmScriptFirstBuildsWhatTheScriptNeeds() throws IOException {
    int needed = Math.max(PHASES.indexOf(phaseOf("kernel-lab-classpath")), PHASES.indexOf(phaseOf("kernel-lab-console-launcher")));
    assertThat(needed).isGreaterThanOrEqualTo(0);
    int checked = 0;
    for (String block : blocks()) {
      if (!block.contains("run-tests-in-vm.sh")) {
        continue;
      }
      checked++;
      List<String> mvn = block.lines().filter(l -> l.strip().startsWith("mvn ")).toList();
      assertThat(mvn).as("a Maven command before the script in:%n%s", block).isNotEmpty();
      String phase = null;
      for (String word : mvn.get(0).split("\\s+")) {
        if (PHASES.contains(word)) {
          phase = word;
        }
      }
      assertThat(phase).as("a lifecycle phase in %s", mvn.get(0)).isNotNull();
      assertThat(PHASES.indexOf(phase)).as("%s reaches %s", mvn.get(0), PHASES.get(needed)).isGreaterThanOrEqualTo(needed);
    }
    assertThat(checked).as("blocks running run-tests-in-vm.sh").isPositive();
  }

  @Test
  void everyClassModuleAndScriptTheCommandsNameExists() throws IOException {
    Pattern classes = Pattern.compile("(?:--select-class\\s+|-Dtest=)([A-Za-z0-9_.]+)");
    Pattern modules = Pattern.compile("-pl\\s+([a-z0-9-]+)");
    Pattern scripts = Pattern.compile("(e2e/[a-z0-9/_-]+\\.sh)");
    List<String> missing = new ArrayList<>();
    int named = 0;
    for (String block : blocks()) {
      for (Matcher m = classes.matcher(block); m.find(); named++) {
        String c = m.group(1);
        if (!c.equals("NONE") && !testSourceExists(c)) {
          missing.add("class " + c);
        }
      }
      for (Matcher m = modules.matcher(block); m.find(); named++) {
        if (!Files.isRegularFile(root().resolve(m.group(1)).resolve("pom.xml"))) {
          missing.add("module " + m.group(1));
        }
      }
      for (Matcher m = scripts.matcher(block); m.find(); named++) {
        if (!Files.isRegularFile(root().resolve(m.group(1)))) {
          missing.add("script " + m.group(1));
        }
      }
    }
    assertThat(named).isGreaterThan(5);
    assertThat(missing).isEmpty();
  }

  static boolean testSourceExists(String name) throws IOException {
    String file = (name.contains(".") ? name.replace('.', '/') : name) + ".java";
    try (var s = Files.walk(root(), 12)) {
      return s.anyMatch(p -> p.toString().endsWith("/src/test/java/" + file)
          || !name.contains(".") && p.toString().contains("/src/test/java/") && p.getFileName().toString().equals(file));
    }
  }
}
