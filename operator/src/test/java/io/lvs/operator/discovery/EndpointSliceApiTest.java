package io.lvs.operator.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointSliceApiTest {
  private static APIResourceList serving(String... resources) {
    APIResourceListBuilder b = new APIResourceListBuilder();
    for (String r : resources) {
      b.addNewResource().withName(r).withKind("X").withNamespaced(true).endResource();
    }
    return b.build();
  }

  @Test
  void v1WhereServedEvenWithV1beta1Beside() {
    Map<String, APIResourceList> k121 = Map.of(
        "discovery.k8s.io/v1", serving("endpointslices"), "discovery.k8s.io/v1beta1", serving("endpointslices"));
    assertThat(EndpointSliceApi.choose(k121::get)).isEqualTo(EndpointSliceApi.V1);
  }

  @Test
  void v1beta1OnKubernetes120() {
    Map<String, APIResourceList> k120 = Map.of("discovery.k8s.io/v1beta1", serving("endpointslices"));
    assertThat(EndpointSliceApi.choose(k120::get)).isEqualTo(EndpointSliceApi.V1BETA1);
  }

  @Test
  void aGroupVersionWithoutEndpointSlicesDoesNotCount() {
    Map<String, APIResourceList> odd = Map.of(
        "discovery.k8s.io/v1", serving("somethingelse"), "discovery.k8s.io/v1beta1", serving("endpointslices"));
    assertThat(EndpointSliceApi.choose(odd::get)).isEqualTo(EndpointSliceApi.V1BETA1);
    assertThatThrownBy(() -> EndpointSliceApi.choose(gv -> null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("serves no EndpointSlice API");
  }
}
