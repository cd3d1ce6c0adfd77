package io.lvs.agent.runtime.k8s;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real kube-apiserver 1.20.2 + etcd (kube-api-test, offline) with the LvsNodeState CRD installed. */
public final class ApiServer implements AutoCloseable {
  final KubeAPIServer server;
  final Config adminConfig;
  public final KubernetesClient admin;
  final int port;

  private static ApiServer shared;

  /**
   * One API server for all test classes of this JVM (a start costs 5-45 s on a loaded machine),
   * stopped when the JVM exits. Tests use distinct object names, so they do not interfere.
   */
  public static synchronized ApiServer shared() {
    if (shared == null) {
      shared = new ApiServer();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "kube-apiserver-stop"));
    }
    return shared;
  }

  private ApiServer() {
    // every value set explicitly: the builder's env fallback casts "true" strings to Boolean and fails
    String dir = writableTestDir(
        System.getenv().getOrDefault("KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest"));
    server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig().withTestDir(dir).withOfflineMode(true)
        .withApiServerVersion("1.20.2").withUpdateKubeConfig(false).withWaitForEtcdHealthCheckOnStartup(true)
        .withStartupTimeout(60_000).build());
    server.start();
    adminConfig = tuned(Config.fromKubeconfig(server.getKubeConfigYaml()));
    Matcher m = Pattern.compile("https://127\\.0\\.0\\.1:(\\d+)").matcher(adminConfig.getMasterUrl());
    if (!m.find()) {
      throw new IllegalStateException("unexpected API server URL " + adminConfig.getMasterUrl());
    }
    port = Integer.parseInt(m.group(1));
    admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
    // the checked-in CRD (what the chart installs), as the crds module puts it on the classpath
    try (InputStream crd = ApiServer.class.getResourceAsStream("/io/lvs/api/crds/lvsnodestates.lvs.io-v1.yml")) {
      CustomResourceDefinition d = admin.apiextensions().v1().customResourceDefinitions().load(crd).item();
      admin.apiextensions().v1().customResourceDefinitions().resource(d).create();
      admin.apiextensions().v1().customResourceDefinitions().withName(d.getMetadata().getName())
          .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
              && c.getStatus().getConditions().stream()
                  .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")), 30, TimeUnit.SECONDS);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * kube-api-test writes its certificates into the test dir; in the kernel-lab VM the host's
   * ~/.kubeapitest is read-only, so a temporary dir links to its binaries instead.
   */
  private static String writableTestDir(String dir) {
    java.nio.file.Path d = java.nio.file.Path.of(dir);
    if (java.nio.file.Files.isWritable(d)) {
      return dir;
    }
    try {
      java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("kubeapitest");
      java.nio.file.Files.createSymbolicLink(tmp.resolve("k8s"), d.resolve("k8s"));
      return tmp.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("no writable kube-api-test dir for " + dir, e);
    }
  }

  /** Short client retries, as the agent uses (a dead API server must not park a thread for minutes). */
  static Config tuned(Config c) {
    return new ConfigBuilder(c).withRequestRetryBackoffLimit(2).withRequestRetryBackoffInterval(100)
        .withWatchReconnectInterval(200).build();
  }

  /** A client that reaches the API server through another port (a proxy), same credentials. */
  KubernetesClient clientVia(int proxyPort) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(adminConfig).withMasterUrl("https://127.0.0.1:" + proxyPort).build()).build();
  }

  /** A client acting as the given service account (impersonation by the admin identity). */
  KubernetesClient as(String namespace, String serviceAccount) {
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder(adminConfig)
        .withImpersonateUsername("system:serviceaccount:" + namespace + ":" + serviceAccount)
        .withImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated")
        .build()).build();
  }

  @Override
  public void close() {
    admin.close();
    server.stop();
  }
}
