package io.lvs.agent.runtime.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lvs.testsupport.RealApiServer;

/**
 * The JVM's shared real kube-apiserver (test-support's {@link RealApiServer}, with the project's
 * CRDs) and the clients the agent's tests need of it: the administrator, one through a proxy port,
 * one impersonating a service account.
 */
public final class ApiServer {
  private static ApiServer shared;

  final RealApiServer server;
  final Config adminConfig;
  public final KubernetesClient admin;
  public final int port;

  /** One for all test classes of this JVM, stopped when the JVM exits. */
  public static synchronized ApiServer shared() {
    if (shared == null) {
      shared = new ApiServer(RealApiServer.shared());
    }
    return shared;
  }

  private ApiServer(RealApiServer server) {
    this.server = server;
    this.adminConfig = tuned(server.adminConfig());
    this.admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
    this.port = server.port();
  }

  /** Short client retries, as the agent uses (a dead API server must not park a thread for minutes). */
  static Config tuned(Config c) {
    return new ConfigBuilder(c).withRequestRetryBackoffLimit(2).withRequestRetryBackoffInterval(100)
        .withWatchReconnectInterval(200).build();
  }

  /** A client that reaches the API server through another port (a proxy), same credentials. */
  public KubernetesClient clientVia(int proxyPort) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(adminConfig).withMasterUrl("https://127.0.0.1:" + proxyPort).build()).build();
  }

  /** The agent's own client ({@link ApiClient}) as the administrator, with the agent's settings. */
  public ApiClient agentApi() {
    return agentApi(adminConfig);
  }

  /** The agent's own client of the server reached through another port (a proxy). */
  public ApiClient agentApiVia(int proxyPort) {
    return agentApi(new ConfigBuilder(adminConfig).withMasterUrl("https://127.0.0.1:" + proxyPort).build());
  }

  /** The agent's own client for {@code config}: a 10 s request timeout, two quick retries. */
  public static ApiClient agentApi(Config config) {
    return ApiClient.of(config, new ApiClient.Settings(java.time.Duration.ofSeconds(10), 2, java.time.Duration.ofMillis(100)));
  }

  /** A client acting as the given service account (impersonation by the admin identity). */
  KubernetesClient as(String namespace, String serviceAccount) {
    return server.as(namespace, serviceAccount);
  }
}
