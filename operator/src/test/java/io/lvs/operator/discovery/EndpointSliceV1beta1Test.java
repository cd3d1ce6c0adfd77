package io.lvs.operator.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.lvs.api.v1alpha1.ServiceMembers;
import io.lvs.operator.resolve.Candidate;
import io.lvs.operator.resolve.EndpointSliceCandidates;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSliceV1beta1Test {
  /** As the 1.20 EndpointSlice controller writes one: the node only under topology. */
  private static io.fabric8.kubernetes.api.model.discovery.v1beta1.EndpointSlice beta() {
    return new io.fabric8.kubernetes.api.model.discovery.v1beta1.EndpointSliceBuilder()
        .withNewMetadata().withNamespace("ns").withName("web-1").addToLabels("kubernetes.io/service-name", "web").endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
        .addNewEndpoint().withAddresses("10.0.0.1").addToTopology("kubernetes.io/hostname", "w1")
            .addToTopology("topology.kubernetes.io/zone", "z1").withNewConditions().withReady(true).endConditions().endEndpoint()
        .addNewEndpoint().withAddresses("10.0.0.2").withNodeName("w2").addToTopology("kubernetes.io/hostname", "ignored")
            .withNewConditions().withReady(false).withServing(true).withTerminating(true).endConditions().endEndpoint()
        .build();
  }

  @Test
  void theNodeComesFromNodeNameElseTopologyAndConditionsCarryOver() {
    EndpointSlice v1 = EndpointSliceV1beta1.toV1(beta());
    assertThat(v1.getMetadata().getName()).isEqualTo("web-1");
    assertThat(v1.getEndpoints()).extracting(e -> e.getAddresses().get(0), e -> e.getNodeName(), e -> e.getZone())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("10.0.0.1", "w1", "z1"),
            org.assertj.core.groups.Tuple.tuple("10.0.0.2", "w2", null));
    assertThat(v1.getEndpoints().get(1).getConditions().getTerminating()).isTrue();
    assertThat(v1.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getPort()).isEqualTo(8080);
    });
  }

  @Test
  void bothVersionsResolveToTheSameMembers() {
    EndpointSlice v1 = new EndpointSliceBuilder()
        .withNewMetadata().withNamespace("ns").withName("web-1").addToLabels("kubernetes.io/service-name", "web").endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
        .addNewEndpoint().withAddresses("10.0.0.1").withNodeName("w1").withZone("z1").withNewConditions().withReady(true).endConditions().endEndpoint()
        .addNewEndpoint().withAddresses("10.0.0.2").withNodeName("w2")
            .withNewConditions().withReady(false).withServing(true).withTerminating(true).endConditions().endEndpoint()
        .build();
    ServiceMembers ref = new ServiceMembers("web", null, "http");
    List<Candidate> fromBeta = EndpointSliceCandidates.from("ns", ref, List.of(EndpointSliceV1beta1.toV1(beta()))).candidates();
    List<Candidate> fromV1 = EndpointSliceCandidates.from("ns", ref, List.of(v1)).candidates();
    assertThat(fromBeta).isEqualTo(fromV1).hasSize(2);
  }

  @Test
  void writingV1beta1PutsTheNodeUnderTopology() {
    EndpointSlice v1 = EndpointSliceV1beta1.toV1(beta());
    var back = EndpointSliceV1beta1.fromV1(v1);
    assertThat(back.getEndpoints().get(0).getTopology())
        .containsEntry("kubernetes.io/hostname", "w1").containsEntry("topology.kubernetes.io/zone", "z1");
    assertThat(back.getEndpoints().get(1).getTopology()).containsEntry("kubernetes.io/hostname", "w2");
    assertThat(back.getEndpoints().get(1).getConditions().getTerminating()).isTrue();
    assertThat(back.getPorts().get(0).getPort()).isEqualTo(8080);
  }
}
