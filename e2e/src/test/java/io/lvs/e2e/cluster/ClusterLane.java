package io.lvs.e2e.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lvs.e2e.lab.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real cluster of e2e/k8s-cluster/ (control plane on this host, two kubelets in the kernel-lab
 * VM): brought up and down through cluster.sh, commands run in the VM through its command files.
 * {@code -Dlvs.cluster.reuse=true} keeps a cluster that already answers (and leaves it running);
 * {@code -Dlvs.cluster.run=DIR} puts its state elsewhere than e2e/target/k8s-cluster.
 */
public record ClusterLane(Path repo, Path run) {
  public static final String DIRECTOR = "director";
  public static final String REAL_SERVER_NODE = "realserver";
  public static final List<String> NODES = List.of(DIRECTOR, REAL_SERVER_NODE);

  public static ClusterLane of(Path repo) {
    String dir = System.getProperty("lvs.cluster.run");
    return new ClusterLane(repo, dir == null ? repo.resolve("e2e/target/k8s-cluster") : Path.of(dir));
  }

  public boolean reuse() {
    return Boolean.getBoolean("lvs.cluster.reuse");
  }

  /** Brings the cluster up (or finds it up, when reused); output goes to run/up.log and stdout. */
  public void up() {
    if (reuse() && answers()) {
      System.out.println("cluster lane: reusing the cluster in " + run);
      return;
    }
    // the console shows cluster.sh's progress lines (a heartbeat every 30 s while it waits)
    ProcessBuilder pb = new ProcessBuilder("bash", script().toString(), "up", run.toString()).inheritIO();
    try {
      Process p = pb.start();
      if (!p.waitFor(45, java.util.concurrent.TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("cluster.sh up did not finish in 45 min");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("cluster.sh up exited " + p.exitValue() + " (logs in " + run + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public void down() {
    if (!reuse()) {
      script(Duration.ofMinutes(3), "down");
    }
  }

  /** Runs shell code in the VM's root namespace ({@code ip netns exec NODE ...} for a node). */
  public Shell.Result vm(Duration timeout, String code) {
    return Shell.run(timeout.plusSeconds(30), List.of("bash", script().toString(), "exec", run.toString(),
        Long.toString(timeout.toSeconds()), code));
  }

  /** Runs shell code in one node's network namespace; fails on a non-zero exit. */
  public String onNode(String node, String code) {
    return vm(Duration.ofSeconds(180), "ip netns exec " + node + " sh -c '" + code.replace("'", "'\\''") + "'").orThrow();
  }

  public Path kubeconfig() {
    return run.resolve("kubeconfig");
  }

  public KubernetesClient client() {
    try {
      return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig()))).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean answers() {
    if (!Files.isRegularFile(kubeconfig())) {
      return false;
    }
    try (KubernetesClient c = client()) {
      return c.nodes().list().getItems().size() == NODES.size();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private Shell.Result script(Duration timeout, String command) {
    return Shell.run(timeout, List.of("bash", script().toString(), command, run.toString()));
  }

  private Path script() {
    return repo.resolve("e2e/k8s-cluster/cluster.sh");
  }
}
