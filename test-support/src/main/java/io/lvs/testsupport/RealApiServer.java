package io.lvs.testsupport;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real kube-apiserver 1.20.2 + etcd (kube-api-test, offline; binaries built by
 * e2e/kube-apiserver/setup-kube-apiserver.sh into ~/.kubeapitest or $KUBE_API_TEST_DIR) for the
 * real-API-server test tier (classes named {@code *ApiServerTest}) of every module.
 *
 * <p>With {@code endpointSliceV1}, the built-in discovery.k8s.io/v1beta1 is switched off and
 * {@link Crds#ENDPOINTSLICE_V1} installed, so EndpointSlices are served in their v1 shape (1.21+)
 * as the operator reads them.
 */
public final class RealApiServer implements AutoCloseable {
  private static RealApiServer shared;

  private final KubeAPIServer server;
  private final String kubeconfig;
  private final Config adminConfig;
  private final KubernetesClient admin;

  /**
   * One server for all test classes of this JVM, with the project's CRDs and the EndpointSlice v1
   * stand-in (a start costs 5-45 s on a loaded machine), stopped when the JVM exits. Tests sharing
   * it use distinct object names or namespaces.
   */
  public static synchronized RealApiServer shared() {
    if (shared == null) {
      RealApiServer s = start(true);
      Crds.install(s.admin(), Crds.PROJECT);
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "kube-apiserver-stop"));
      shared = s;
    }
    return shared;
  }

  /** A server of the caller's own, without CRDs (see {@link Crds#install}); the caller closes it. */
  public static RealApiServer start(boolean endpointSliceV1) {
    return new RealApiServer(endpointSliceV1);
  }

  private RealApiServer(boolean endpointSliceV1) {
    // every value set explicitly: the builder's env fallback (and @EnableKubeAPIServer) casts
    // "true" strings to Boolean and fails (kube-api-test 7.5.2)
    String dir = writableTestDir(
        System.getenv().getOrDefault("KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.kubeapitest"));
    KubeAPIServerConfigBuilder config = KubeAPIServerConfigBuilder.anAPIServerConfig().withTestDir(dir)
        .withOfflineMode(true).withApiServerVersion("1.20.2").withUpdateKubeConfig(false)
        .withWaitForEtcdHealthCheckOnStartup(true).withStartupTimeout(60_000);
    if (endpointSliceV1) {
      config.withApiServerFlag("--runtime-config", "discovery.k8s.io/v1beta1=false");
    }
    server = new KubeAPIServer(config.build());
    server.start();
    kubeconfig = server.getKubeConfigYaml();
    adminConfig = Config.fromKubeconfig(kubeconfig);
    admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
    if (endpointSliceV1) {
      Crds.install(admin, List.of(Crds.ENDPOINTSLICE_V1));
    }
  }

  /**
   * kube-api-test writes its certificates into the test dir; in the kernel-lab VM the host's
   * ~/.kubeapitest is read-only, so a temporary dir links to its binaries instead.
   */
  private static String writableTestDir(String dir) {
    Path d = Path.of(dir);
    if (Files.isWritable(d)) {
      return dir;
    }
    try {
      Path tmp = Files.createTempDirectory("kubeapitest");
      Files.createSymbolicLink(tmp.resolve("k8s"), d.resolve("k8s"));
      return tmp.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("no writable kube-api-test dir for " + dir, e);
    }
  }

  public String kubeconfigYaml() {
    return kubeconfig;
  }

  /** The administrator's client configuration (a copy may be tuned or redirected). */
  public Config adminConfig() {
    return new ConfigBuilder(adminConfig).build();
  }

  /** The administrator's client, shared; closed with the server. */
  public KubernetesClient admin() {
    return admin;
  }

  /** The port the server listens on at 127.0.0.1. */
  public int port() {
    Matcher m = Pattern.compile("https://127\\.0\\.0\\.1:(\\d+)").matcher(adminConfig.getMasterUrl());
    if (!m.find()) {
      throw new IllegalStateException("unexpected API server URL " + adminConfig.getMasterUrl());
    }
    return Integer.parseInt(m.group(1));
  }

  /** A new administrator's client, closed by the caller. */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  /** A new client whose HTTP layer the caller can observe (benchmarks count requests). */
  public KubernetesClient newClient(Consumer<HttpClient.Builder> http) {
    return new KubernetesClientBuilder().withConfig(adminConfig()).withHttpClientBuilderConsumer(http).build();
  }

  /** A new client acting as the given service account (impersonated by the administrator). */
  public KubernetesClient as(String namespace, String serviceAccount) {
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
