package io.lvs.operator.apiserver;

import static io.lvs.operator.apiserver.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1beta1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1beta1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.ServiceMembers;
import io.lvs.operator.discovery.EndpointSliceApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator on kube-apiserver 1.20.2 as a cluster runs it (no test stand-in): EndpointSlices
 * are the server's own discovery.k8s.io/v1beta1, with the node in {@code topology} as the 1.20
 * EndpointSlice controller writes it. CEL rules on the same server: {@link CelWithoutServerApiServerTest}.
 */
class Kubernetes120ApiServerTest {
  @RegisterExtension static final OperatorRun RUN = OperatorRun.onKubernetes120AsShipped();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private KubernetesClient client;
  private Fixtures fx;

  @BeforeEach
  void setUp() {
    client = RUN.client();
    fx = new Fixtures(client);
  }

  /** A slice as the 1.20 controller writes it: node under topology, nodeName unset (alpha gate). */
  private static EndpointSlice slice(String ns, String name, String service, List<String> ready, List<String> terminating) {
    EndpointSliceBuilder b = new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).addToLabels("kubernetes.io/service-name", service).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
    ready.forEach(ip -> b.addNewEndpoint().withAddresses(ip).addToTopology("kubernetes.io/hostname", "b-w1")
        .withNewConditions().withReady(true).endConditions().endEndpoint());
    terminating.forEach(ip -> b.addNewEndpoint().withAddresses(ip).addToTopology("kubernetes.io/hostname", "b-w1")
        .withNewConditions().withReady(false).withServing(true).withTerminating(true).endConditions().endEndpoint());
    return b.build();
  }

  private List<NodeDestination> destinations(String node, String owner) {
    LvsNodeState s = fx.nodeState(node);
    if (s == null || s.getSpec() == null || s.getSpec().services() == null) {
      return List.of();
    }
    return s.getSpec().services().stream().filter(x -> owner.equals(x.owner()))
        .flatMap(x -> x.destinations().stream()).toList();
  }

  @Test
  void theServerServesOnlyV1beta1AndTheOperatorChoosesIt() {
    assertThat(client.getApiResources("discovery.k8s.io/v1beta1").getResources())
        .extracting(r -> r.getName()).contains("endpointslices");
    assertThat(client.getApiGroup("discovery.k8s.io").getVersions()).extracting(v -> v.getVersion())
        .containsExactly("v1beta1");
    assertThat(EndpointSliceApi.discover(client)).isEqualTo(EndpointSliceApi.V1BETA1);
  }

  @Test
  void aServiceRefPoolResolvesMembersFromRealV1beta1EndpointSlicesAndFollowsThem() {
    fx.namespace("beta");
    fx.node("b-d1", "198.18.40.1", true, Map.of("lvs/b-director", "true"));
    fx.node("b-w1", "198.18.40.11", true, Map.of());
    client.resource(new ServiceBuilder().withNewMetadata().withNamespace("beta").withName("web-svc").endMetadata()
        .withNewSpec().addNewPort().withName("http").withPort(80).withNewTargetPort(8080).endPort().endSpec().build()).create();
    client.resource(slice("beta", "web-x1", "web-svc", List.of("10.40.0.1", "10.40.0.2"), List.of())).create();
    client.resource(slice("beta", "other-x1", "other", List.of("10.40.9.9"), List.of())).create();
    fx.pool("beta", "web", new RealServerPoolSpec(new ServiceMembers("web-svc", null, "http"), null, null, null, null, null,
        null, null, new io.lvs.api.v1alpha1.Drain(30)));
    fx.virtualService("beta", "web", PublishServiceApiServerTest.published(spec("198.18.40.100", 80, Forwarding.NAT, "web", "lvs/b-director"),
        true, List.of(new io.lvs.api.v1alpha1.ServicePort(null, 80, io.lvs.api.v1alpha1.Protocol.TCP, null))));

    await().atMost(WAIT).untilAsserted(() -> assertThat(destinations("b-d1", "beta/web"))
        .extracting(NodeDestination::address, NodeDestination::port)
        .containsExactly(Tuple.tuple("10.40.0.1", 8080), Tuple.tuple("10.40.0.2", 8080)));
    // the node came from topology: the pool's status names it
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(io.lvs.api.v1alpha1.RealServerPool.class)
        .inNamespace("beta").withName("web").get().getStatus().members())
        .extracting(m -> m.address(), m -> m.node()).containsExactly(Tuple.tuple("10.40.0.1", "b-w1"), Tuple.tuple("10.40.0.2", "b-w1")));

    // publishService writes its EndpointSlice in the served version, v1beta1 here
    await().atMost(WAIT).untilAsserted(() -> {
      EndpointSlice published = client.discovery().v1beta1().endpointSlices().inNamespace("beta").withName("web-lvs").get();
      assertThat(published).isNotNull();
      assertThat(published.getEndpoints()).singleElement().satisfies(e -> assertThat(e.getAddresses()).containsExactly("198.18.40.100"));
      assertThat(published.getPorts()).extracting(p -> p.getName(), p -> p.getPort()).containsExactly(Tuple.tuple("tcp-80", 80));
    });

    client.resource(slice("beta", "web-x1", "web-svc", List.of("10.40.0.1"), List.of("10.40.0.2"))).update();
    await().atMost(WAIT).untilAsserted(() -> assertThat(destinations("b-d1", "beta/web"))
        .extracting(NodeDestination::address, NodeDestination::weight, NodeDestination::draining)
        .containsExactly(Tuple.tuple("10.40.0.1", 1, null), Tuple.tuple("10.40.0.2", 0, true)));
  }
}
