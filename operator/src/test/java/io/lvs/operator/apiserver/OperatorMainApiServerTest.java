package io.lvs.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.testsupport.RealApiServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * io.lvs.operator.OperatorMain as e2e and the chart launch it: its own JVM, KUBECONFIG, the
 * contract's environment, leader election on. It becomes leader, turns ready, serves metrics.
 */
class OperatorMainApiServerTest {
  @RegisterExtension static final Server SERVER = new Server();
  private final HttpClient http = HttpClient.newHttpClient();

  static final class Server implements BeforeAllCallback {
    private RealApiServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
      server = RealApiServer.shared();
    }
  }

  private HttpResponse<String> get(int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** OperatorMain in its own JVM as the chart starts it: KUBECONFIG, HTTP port, namespace; output to {@code log}. */
  private static ProcessBuilder operatorMain(Path kubeconfig, int port, String namespace, Path log) {
    ProcessBuilder pb = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // the product's logback.xml, not the tests' plain-text one that is also on this class path
        "-Dlogback.configurationFile=logback.xml",
        "-cp", System.getProperty("java.class.path"), "io.lvs.operator.OperatorMain"));
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("LVS_HTTP_PORT", Integer.toString(port));
    pb.environment().put("LVS_NAMESPACE", namespace);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return pb;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * An informer that cannot start (here: an API server without the project's CRDs; in the cluster
   * lane: a list that timed out under emulation) fails the SDK's start once the health server is
   * up. The process must then exit, so that kubelet restarts it: it used to live on, its main
   * thread gone, with /healthz ok and /readyz 503 for good.
   */
  @Test
  void aStartThatFailsEndsTheProcessWithAnErrorInsteadOfLingeringUnready(@TempDir Path dir) throws Exception {
    try (RealApiServer bare = RealApiServer.start(true)) {
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, bare.kubeconfigYaml());
      Path log = dir.resolve("operator.log");
      // the health server on, as in the chart: its thread is what kept the failed process alive
      Process p = operatorMain(kubeconfig, freePort(), "default", log).start();
      try {
        assertThat(p.waitFor(150, java.util.concurrent.TimeUnit.SECONDS)).as("the operator process ended").isTrue();
        assertThat(p.exitValue()).as("its exit code").isEqualTo(1);
        assertThat(Files.readString(log)).contains("the operator could not start; exiting");
      } finally {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void theProcessElectsItselfLeaderTurnsReadyAndServesMetrics(@TempDir Path dir) throws Exception {
    try (KubernetesClient client = SERVER.server.newClient()) {
      if (client.namespaces().withName("lvs-main").get() == null) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName("lvs-main").endMetadata().build()).create();
      }
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, SERVER.server.kubeconfigYaml());
      int port = freePort();
      Path log = dir.resolve("operator.log");
      ProcessBuilder pb = operatorMain(kubeconfig, port, "lvs-main", log);
      pb.environment().put("LVS_LEADER_ELECTION", "true");
      pb.environment().put("LVS_WATCH_NAMESPACES", "lvs-main");
      pb.environment().put("POD_NAME", "operator-under-test");
      Process p = pb.start();
      try {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          HttpResponse<String> r = get(port, "/readyz");
          assertThat(r).isNotNull();
          assertThat(r.statusCode()).isEqualTo(200);
        });
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        // ready means serving (a standby replica is ready too); leading comes when the Lease is won
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          Lease leader = client.leases().inNamespace("lvs-main").withName("lvs-operator").get();
          assertThat(leader).isNotNull();
          assertThat(leader.getSpec().getHolderIdentity()).isEqualTo("operator-under-test");
          assertThat(get(port, "/metrics").body()).contains("jvm_memory_used_bytes", "lvs_operator_node_sync");
        });
        // structured logs: one JSON object per line (checked after the run so the file is complete)
        assertThat(Files.readAllLines(log)).filteredOn(l -> l.contains("operator started"))
            .singleElement().asString().startsWith("{").contains("\"level\":\"INFO\"");
      } finally {
        p.destroy(); // SIGTERM: the shutdown hook stops the operator and releases leadership
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }
}
