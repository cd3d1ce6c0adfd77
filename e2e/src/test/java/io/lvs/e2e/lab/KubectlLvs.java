package io.lvs.e2e.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * bin/kubectl-lvs as a user runs it from a workstation: a kubeconfig of their own, kubectl of
 * the server's build, nothing else; the agents reached through the API server's pod proxy.
 */
public final class KubectlLvs {
  private final Path plugin;
  private final Path kubectl;
  private final Path kubeconfig;

  public KubectlLvs(Lab lab, ApiServer.User user) {
    this.plugin = lab.moduleDir().resolveSibling("bin/kubectl-lvs");
    this.kubectl = lab.apiServer().kubectl();
    this.kubeconfig = lab.apiServer().kubeconfigFile(user);
  }

  /** Exit code, standard output and standard error of one run. */
  public record Run(List<String> args, int exit, String out, String err) {
    /** One node's section of the output: the lines after its "== node NODE " header, up to the next. */
    public String section(String node) {
      int start = out.indexOf("== node " + node + " ");
      if (start < 0) {
        throw new AssertionError("no section for node " + node + " in:\n" + out + err);
      }
      String rest = out.substring(out.indexOf('\n', start) + 1);
      int next = rest.indexOf("== node ");
      return next < 0 ? rest : rest.substring(0, next);
    }

    @Override
    public String toString() {
      return "kubectl lvs " + String.join(" ", args) + " -> exit " + exit + "\n" + out + err;
    }
  }

  public Run run(String... args) {
    List<String> cmd = new ArrayList<>(List.of("env", "KUBECTL=" + kubectl, "bash", plugin.toString(),
        "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    // one kubectl per agent, each a Go binary's start under emulation: seconds apiece
    Shell.Result r = Shell.run(Duration.ofSeconds(180), cmd);
    return new Run(List.of(args), r.exitCode(), r.stdout(), r.stderr());
  }
}
