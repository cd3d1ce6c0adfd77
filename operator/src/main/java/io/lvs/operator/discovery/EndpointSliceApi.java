package io.lvs.operator.discovery;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Function;

/**
 * The EndpointSlice API version the cluster serves, chosen once at start by API discovery:
 * {@code discovery.k8s.io/v1} where served (Kubernetes 1.21+), else {@code v1beta1} (1.17-1.20,
 * removed in 1.25). The operator reads either and writes the one chosen.
 */
public enum EndpointSliceApi {
  V1("discovery.k8s.io/v1"),
  V1BETA1("discovery.k8s.io/v1beta1");

  private final String apiVersion;

  EndpointSliceApi(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  public String apiVersion() {
    return apiVersion;
  }

  /** Asks the API server which versions serve {@code endpointslices}. */
  public static EndpointSliceApi discover(KubernetesClient client) {
    return choose(gv -> {
      try {
        return client.getApiResources(gv);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return null; // group version not served
        }
        throw e;
      }
    });
  }

  /** The choice alone, from what discovery lists per group version (null: not served). */
  static EndpointSliceApi choose(Function<String, APIResourceList> discovery) {
    for (EndpointSliceApi api : values()) {
      APIResourceList list = discovery.apply(api.apiVersion);
      if (list != null && list.getResources() != null
          && list.getResources().stream().anyMatch(r -> "endpointslices".equals(r.getName()))) {
        return api;
      }
    }
    throw new IllegalStateException("the API server serves no EndpointSlice API (neither discovery.k8s.io/v1 nor"
        + " discovery.k8s.io/v1beta1); serviceRef pools and published DNS names need one (Kubernetes 1.17+)");
  }
}
