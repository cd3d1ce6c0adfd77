package io.lvs.operator.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.api.v1alpha1.Directors;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.RealServerPoolRef;
import io.lvs.api.v1alpha1.Scheduler;
import io.lvs.api.v1alpha1.ServiceMembers;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.operator.resolve.EndpointSliceCandidates;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class PublishedServiceTest {
  private static VirtualService vs(String name, String vip, List<ServicePort> ports) {
    VirtualService vs = new VirtualService();
    vs.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName(name).withUid("uid-1").build());
    vs.setSpec(new VirtualServiceSpec(vip, ports, null, null, null, Forwarding.DirectRouting, Scheduler.rr, null, null,
        null, new RealServerPoolRef("web"), new Directors(Map.of("d", "true"), null), null, true));
    return vs;
  }

  @Test
  void aHeadlessSelectorlessServiceAndASliceWithTheVipOwnedByTheVirtualService() {
    PublishedService p = PublishedService.of(vs("web", "198.18.0.10",
        List.of(new ServicePort("http", 80, null, null), new ServicePort(null, 53, Protocol.UDP, null))));
    assertThat(p.service().getSpec().getClusterIP()).isEqualTo("None");
    assertThat(p.service().getSpec().getSelector()).isNullOrEmpty();
    assertThat(p.service().getSpec().getPorts()).extracting(x -> x.getName(), x -> x.getPort(), x -> x.getProtocol())
        .containsExactly(Tuple.tuple("http", 80, "TCP"), Tuple.tuple("udp-53", 53, "UDP"));
    assertThat(p.slice().getMetadata().getName()).isEqualTo("web-lvs");
    assertThat(p.slice().getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web")
        .containsEntry("endpointslice.kubernetes.io/managed-by", "lvs-operator.lvs.io");
    assertThat(p.slice().getAddressType()).isEqualTo("IPv4");
    assertThat(p.slice().getEndpoints()).singleElement().satisfies(e -> assertThat(e.getAddresses()).containsExactly("198.18.0.10"));
    assertThat(p.slice().getPorts()).extracting(x -> x.getName(), x -> x.getPort())
        .containsExactly(Tuple.tuple("http", 80), Tuple.tuple("udp-53", 53));
    assertThat(p.service().getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getUid()).isEqualTo("uid-1");
      assertThat(r.getController()).isTrue();
    });
    assertThat(PublishedService.ownedBy(p.slice(), vs("web", "198.18.0.10", List.of()))).isTrue();
  }

  @Test
  void anIpv6VipIsAnIpv6Slice() {
    PublishedService p = PublishedService.of(vs("web6", "2001:db8::10", List.of(new ServicePort(null, 443, null, null))));
    assertThat(p.slice().getAddressType()).isEqualTo("IPv6");
    assertThat(p.service().getSpec().getPorts()).extracting(x -> x.getName()).containsExactly("tcp-443");
  }

  @Test
  void onlyDns1035LabelsCanBeServiceNames() {
    assertThat(PublishedService.nameUsable("web-dr")).isTrue();
    assertThat(PublishedService.nameUsable("1web")).isFalse();
    assertThat(PublishedService.nameUsable("web.example")).isFalse();
    assertThat(PublishedService.nameUsable("a".repeat(64))).isFalse();
  }

  @Test
  void aPoolNamingThePublishedServiceNeverBalancesToTheVip() {
    PublishedService p = PublishedService.of(vs("web", "198.18.0.10", List.of(new ServicePort(null, 80, null, null))));
    var r = EndpointSliceCandidates.from("shop", new ServiceMembers("web", null, null), List.of(p.slice()));
    assertThat(r.candidates()).isEmpty();
  }
}
