package io.lvs.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command the docs tell a user to run inside one of the images ({@code kubectl exec ... --
 * CMD}) exists in that image as built (the jib:buildTar tarballs' layers and PATH), and names one
 * pod rather than {@code ds/...}, which picks an arbitrary node's agent. The images have a JRE and
 * the application, no shell, cat or ipvsadm.
 */
class DocCommandsTest {
  private static final ProjectFiles FILES = ProjectFiles.locate();
  // kubectl [flags] exec [flags] TARGET [flags] -- COMMAND ...   (within one line or code span)
  private static final Pattern EXEC = Pattern.compile("kubectl\\b[^\\n`]*?\\bexec\\b([^\\n`]*?)\\s--\\s+([^\\s`'\"]+)");
  private static ImageContents agent;
  private static ImageContents operator;

  /** One {@code kubectl exec}: where the docs say it, the words before {@code --}, the command run. */
  record Exec(String where, String target, String command) {}

  @BeforeAll
  static void readImages() throws IOException {
    agent = image("node-agent");
    operator = image("operator");
  }

  private static ImageContents image(String module) throws IOException {
    Path tar = FILES.root().resolve(module).resolve("target/jib-image.tar");
    assertThat(tar).as("%s: built by `mvn package` in %s (jib:buildTar; -DskipImages skips it)", tar, module).isRegularFile();
    return ImageContents.read(tar);
  }

  @Test
  void everyCommandTheDocsRunInsideAnImageExistsThere() throws IOException {
    List<String> problems = new ArrayList<>();
    int found = 0;
    for (Path doc : DocsTest.userFacingDocs()) {
      for (Exec e : execs(FILES.root().relativize(doc).toString(), Files.readString(doc))) {
        found++;
        problems.addAll(problems(e));
      }
    }
    System.out.println("kubectl exec commands in the user-facing docs: " + found);
    assertThat(problems).isEmpty();
  }

  @Test
  void theRenderedInstallNotesPickTheNodesAgentPodAndExecNothing(@TempDir Path tmp) throws IOException {
    // NOTES.txt is a template: check what `helm install` prints, not the source. helm template
    // skips NOTES.txt (and helm-java's dry-run install wants a cluster), so a copy of the chart
    // renders the same text into a ConfigMap
    Path chart = tmp.resolve("chart");
    try (Stream<Path> files = Files.walk(FILES.chart())) {
      for (Path f : files.toList()) {
        Path to = chart.resolve(FILES.chart().relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Files.writeString(chart.resolve("templates/_notes-copy.tpl"), "{{- define \"notes-copy\" -}}\n"
        + Files.readString(chart.resolve("templates/NOTES.txt")) + "\n{{- end }}\n");
    Files.writeString(chart.resolve("templates/notes-copy.yaml"), "apiVersion: v1\nkind: ConfigMap\n"
        + "metadata:\n  name: notes-copy\ndata:\n  notes: {{ include \"notes-copy\" . | toJson }}\n");
    RenderedChart rendered = ChartRenderer.parse(new Helm(chart).template().withName("lvs").withNamespace("lvs-system").call());
    String notes = rendered.one(ConfigMap.class, "notes-copy").getData().get("notes");
    assertThat(notes).contains("--field-selector spec.nodeName=<node>", "kubectl get lvsnodestates -l lvs.io/node=<node>",
        "/api/v1/namespaces/lvs-system/pods/$pod:9720/proxy/metrics", "app.kubernetes.io/component=node-agent");
    List<String> problems = new ArrayList<>();
    execs("NOTES.txt as rendered", notes).forEach(e -> problems.addAll(problems(e)));
    assertThat(problems).isEmpty();
  }

  @Test
  void theCheckRefusesWhatTheImagesCannotRun() {
    // what NOTES.txt and troubleshooting.md used to say
    assertThat(problems(execs("NOTES.txt", "  kubectl -n {{ .Release.Namespace }} exec ds/{{ include \"lvs.agent.fullname\" . }} -- cat /proc/net/ip_vs").get(0)))
        .anyMatch(p -> p.contains("arbitrary")).anyMatch(p -> p.contains("`cat` is not in the node-agent image"));
    assertThat(problems(execs("t", "On a node: `kubectl -n lvs-system exec <agent pod> -- cat /proc/net/ip_vs`, or").get(0)))
        .singleElement().asString().contains("`cat` is not in the node-agent image");
    assertThat(problems(execs("t", "kubectl -n lvs-system exec lvs-node-agent-x7k2p -- ipvsadm -Ln").get(0)))
        .containsExactly("t:1: `ipvsadm` is not in the node-agent image (PATH " + String.join(":", agent.path()) + ")");
    assertThat(problems(execs("t", "kubectl exec $pod -- sh -c 'ls'").get(0)))
        .anyMatch(p -> p.contains("cannot tell which image"));
    // what the images do hold passes
    assertThat(problems(execs("t", "kubectl -n lvs-system exec \"$pod\" -c node-agent -- java -version").get(0))).isEmpty();
    assertThat(problems(execs("t", "kubectl -n lvs-system exec lvs-operator-5d9f-abcde -- /usr/lib/jvm/java-17-openjdk-amd64/bin/java -version").get(0)))
        .isEmpty();
  }

  static List<Exec> execs(String where, String text) {
    List<Exec> out = new ArrayList<>();
    Matcher m = EXEC.matcher(text);
    while (m.find()) {
      int line = text.substring(0, m.start()).split("\n", -1).length;
      out.add(new Exec(where + ":" + line, m.group(1), m.group(2)));
    }
    return out;
  }

  private static List<String> problems(Exec e) {
    List<String> out = new ArrayList<>();
    if (e.target().matches(".*\\b(ds|daemonset|daemonsets)/.*")) {
      out.add(e.where() + ": `exec " + e.target().strip() + "` runs in an arbitrary node's pod: select the node's pod"
          + " (kubectl get pods --field-selector spec.nodeName=<node>)");
    }
    String image = e.target().contains("agent") ? "node-agent" : e.target().contains("operator") ? "operator" : null;
    if (image == null) {
      out.add(e.where() + ": cannot tell which image `" + e.target().strip() + "` runs (name the agent or the operator)");
      return out;
    }
    ImageContents contents = image.equals("node-agent") ? agent : operator;
    if (!contents.canRun(e.command())) {
      out.add(e.where() + ": `" + e.command() + "` is not in the " + image + " image (PATH " + String.join(":", contents.path()) + ")");
    }
    return out;
  }
}
