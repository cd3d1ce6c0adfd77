package io.lvs.operator.apiserver;

import static io.lvs.operator.apiserver.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.StaticMember;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * publishService on a real kube-apiserver (EndpointSlices as discovery.k8s.io/v1 through the
 * stand-in; the v1beta1 write path in {@link Kubernetes120IT}): the headless Service and its
 * EndpointSlice carry the VIP and ports, follow spec changes, are owned by the VirtualService (this
 * server runs no garbage collector, so the owner references are asserted, and the switch turned off
 * shows the operator deleting them), and a Service of the same name that is not the operator's is
 * reported, never touched.
 */
class PublishServiceApiServerTest {
  @RegisterExtension static final OperatorRun RUN = new OperatorRun();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private KubernetesClient client;
  private Fixtures fx;

  @BeforeEach
  void setUp() {
    client = RUN.client();
    fx = new Fixtures(client);
  }

  static VirtualServiceSpec published(VirtualServiceSpec s, Boolean publish, List<io.lvs.api.v1alpha1.ServicePort> ports) {
    return new VirtualServiceSpec(s.vip(), ports, s.fwmark(), s.fwmarkMatch(), s.family(), s.forwarding(), s.scheduler(),
        s.schedulerFlags(), s.persistence(), s.onePacket(), s.realServerPoolRef(), s.directors(), s.tunnelType(), publish);
  }

  private Condition published(String ns, String name) {
    VirtualService vs = client.resources(VirtualService.class).inNamespace(ns).withName(name).get();
    return vs == null || vs.getStatus() == null || vs.getStatus().conditions() == null ? null
        : vs.getStatus().conditions().stream().filter(c -> "ServicePublished".equals(c.getType())).findFirst().orElse(null);
  }

  private EndpointSlice slice(String ns, String name) {
    return client.discovery().v1().endpointSlices().inNamespace(ns).withName(name + "-lvs").get();
  }

  @Test
  void theServiceAndSliceCarryTheVipFollowChangesAreOwnedAndGoWhenSwitchedOff() {
    fx.namespace("pub-dns");
    fx.node("pub-d1", "198.18.60.1", true, Map.of("lvs/pub-director", "true"));
    fx.pool("pub-dns", "web", new io.lvs.api.v1alpha1.RealServerPoolSpec(null, null, null,
        List.of(new StaticMember("198.18.61.1", 80, null)), null, null, null, null, null));
    VirtualServiceSpec base = spec("198.18.60.100", 80, Forwarding.DirectRouting, "web", "lvs/pub-director");
    VirtualService vs = fx.virtualService("pub-dns", "web", published(base, true, List.of(
        new io.lvs.api.v1alpha1.ServicePort("http", 80, Protocol.TCP, null),
        new io.lvs.api.v1alpha1.ServicePort(null, 53, Protocol.UDP, null))));
    String uid = vs.getMetadata().getUid();

    await().atMost(WAIT).untilAsserted(() -> {
      Service svc = client.services().inNamespace("pub-dns").withName("web").get();
      assertThat(svc).isNotNull();
      assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
      assertThat(svc.getSpec().getSelector()).isNullOrEmpty();
      assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort, ServicePort::getProtocol)
          .containsExactly(Tuple.tuple("http", 80, "TCP"), Tuple.tuple("udp-53", 53, "UDP"));
      EndpointSlice s = slice("pub-dns", "web");
      assertThat(s).isNotNull();
      assertThat(s.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web")
          .containsEntry("endpointslice.kubernetes.io/managed-by", "lvs-operator.lvs.io");
      assertThat(s.getEndpoints()).singleElement().satisfies(e -> assertThat(e.getAddresses()).containsExactly("198.18.60.100"));
      assertThat(s.getPorts()).extracting(p -> p.getName(), p -> p.getPort())
          .containsExactlyInAnyOrder(Tuple.tuple("http", 80), Tuple.tuple("udp-53", 53));
      for (List<OwnerReference> refs : List.of(svc.getMetadata().getOwnerReferences(), s.getMetadata().getOwnerReferences())) {
        assertThat(refs).singleElement().satisfies(r -> {
          assertThat(r.getUid()).isEqualTo(uid);
          assertThat(r.getKind()).isEqualTo("VirtualService");
          assertThat(r.getController()).isTrue();
        });
      }
      assertThat(published("pub-dns", "web")).isNotNull().extracting(Condition::getStatus, Condition::getReason).containsExactly("True", "Published");
    });

    // a new VIP and port: both objects follow
    client.resources(VirtualService.class).inNamespace("pub-dns").withName("web").edit(v -> {
      VirtualServiceSpec s = v.getSpec();
      v.setSpec(new VirtualServiceSpec("198.18.60.101", List.of(new io.lvs.api.v1alpha1.ServicePort(null, 8443, Protocol.TCP, null)),
          null, null, null, s.forwarding(), s.scheduler(), null, null, null, s.realServerPoolRef(), s.directors(), null, true));
      return v;
    });
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.services().inNamespace("pub-dns").withName("web").get().getSpec().getPorts())
          .extracting(ServicePort::getName, ServicePort::getPort).containsExactly(Tuple.tuple("tcp-8443", 8443));
      EndpointSlice s = slice("pub-dns", "web");
      assertThat(s.getEndpoints().get(0).getAddresses()).containsExactly("198.18.60.101");
      assertThat(s.getPorts()).extracting(p -> p.getPort()).containsExactly(8443);
    });

    // switched off: the operator deletes both (GC would do it for a deleted VirtualService)
    client.resources(VirtualService.class).inNamespace("pub-dns").withName("web").edit(v -> {
      VirtualServiceSpec s = v.getSpec();
      v.setSpec(published(s, null, s.ports()));
      return v;
    });
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(client.services().inNamespace("pub-dns").withName("web").get()).isNull();
      assertThat(slice("pub-dns", "web")).isNull();
      assertThat(published("pub-dns", "web")).isNull();
    });
  }

  @Test
  void aServiceOfTheSameNameThatIsNotTheOperatorsIsReportedAndLeftUntouched() {
    fx.namespace("pub-clash");
    fx.node("pubc-d1", "198.18.62.1", true, Map.of("lvs/pubc-director", "true"));
    fx.pool("pub-clash", "web", new io.lvs.api.v1alpha1.RealServerPoolSpec(null, null, null,
        List.of(new StaticMember("198.18.63.1", 80, null)), null, null, null, null, null));
    Service mine = client.resource(new ServiceBuilder().withNewMetadata().withNamespace("pub-clash").withName("web")
        .addToLabels("team", "web").endMetadata()
        .withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec().build()).create();
    fx.virtualService("pub-clash", "web",
        published(spec("198.18.62.100", 80, Forwarding.DirectRouting, "web", "lvs/pubc-director"), true,
            List.of(new io.lvs.api.v1alpha1.ServicePort(null, 80, Protocol.TCP, null))));

    await().atMost(WAIT).untilAsserted(() -> {
      Condition c = published("pub-clash", "web");
      assertThat(c).isNotNull();
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("ServiceNameConflict");
      assertThat(c.getMessage()).contains("spec.publishService").contains("Service pub-clash/web");
    });
    Service after = client.services().inNamespace("pub-clash").withName("web").get();
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(mine.getMetadata().getResourceVersion());
    assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(slice("pub-clash", "web")).isNull();
    assertThat(client.v1().events().inNamespace("pub-clash").list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("ServiceNameConflict"));
  }
}
