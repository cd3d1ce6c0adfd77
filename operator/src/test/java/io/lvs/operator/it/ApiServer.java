package io.lvs.operator.it;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real kube-apiserver 1.20.2 + etcd for all operator ITs of a test run (started once, stopped
 * when JUnit closes its root store), with our CRDs and the test-only discovery.k8s.io/v1
 * EndpointSlice CRD installed. The built-in v1beta1 group is switched off so the CRD can serve v1.
 * {@link #asShipped} is the other flavour: 1.20.2 as a cluster runs it, serving EndpointSlices as
 * its own discovery.k8s.io/v1beta1 (one per test class that asks, stopped after it).
 */
public final class ApiServer implements ExtensionContext.Store.CloseableResource, AutoCloseable {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final List<Path> CRDS =
      List.of(
          ROOT.resolve("crds/virtualservices.lvs.io-v1.yml"),
          ROOT.resolve("crds/realserverpools.lvs.io-v1.yml"),
          ROOT.resolve("crds/lvsnodestates.lvs.io-v1.yml"));
  private static final Path ENDPOINTSLICE_V1_STAND_IN = ROOT.resolve("e2e/kube-apiserver/endpointslice-v1-crd.yaml");
  private final KubeAPIServer server;
  private final String kubeconfig;

  private ApiServer(boolean endpointSliceV1StandIn) {
    KubeAPIServerConfigBuilder config = KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withOfflineMode(true)
        .withApiServerVersion("1.20.2")
        .withUpdateKubeConfig(false);
    if (endpointSliceV1StandIn) {
      config.withApiServerFlag("--runtime-config", "discovery.k8s.io/v1beta1=false");
    }
    server = new KubeAPIServer(config.build());
    server.start();
    kubeconfig = server.getKubeConfigYaml();
    List<Path> crds = new java.util.ArrayList<>(CRDS);
    if (endpointSliceV1StandIn) {
      crds.add(ENDPOINTSLICE_V1_STAND_IN);
    }
    try (KubernetesClient client = newClient()) {
      for (Path p : crds) {
        try (InputStream in = Files.newInputStream(p)) {
          CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
          client.resource(crd).create();
          client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
              .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                  && c.getStatus().getConditions().stream()
                      .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                  30, TimeUnit.SECONDS);
        } catch (IOException e) {
          throw new IllegalStateException("read CRD " + p + " (the checked-in CRD YAML)", e);
        }
      }
    }
  }

  /** A server of one's own (benchmarks), closed by the caller. */
  public static ApiServer standalone() {
    return new ApiServer(true);
  }

  static ApiServer get(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(ApiServer.class, k -> new ApiServer(true), ApiServer.class);
  }

  /** 1.20.2 without the stand-in (EndpointSlices served as v1beta1), for the calling test class only. */
  static ApiServer asShipped(ExtensionContext context) {
    return context.getStore(ExtensionContext.Namespace.create(ApiServer.class, "as-shipped"))
        .getOrComputeIfAbsent(ApiServer.class, k -> new ApiServer(false), ApiServer.class);
  }

  String kubeconfigYaml() {
    return kubeconfig;
  }

  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
  }

  /** A client whose HTTP layer the caller can observe (benchmarks count requests). */
  public KubernetesClient newClient(java.util.function.Consumer<io.fabric8.kubernetes.client.http.HttpClient.Builder> http) {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).withHttpClientBuilderConsumer(http).build();
  }

  @Override
  public void close() {
    server.stop();
  }
}
