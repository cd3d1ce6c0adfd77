package io.lvs.api.slices;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.lvs.api.v1alpha1.LvsNodeState;
import org.junit.jupiter.api.Test;

/** An agent one release behind reads node state a newer operator wrote, fields it does not know included. */
class NodeStateForwardCompatibilityTest {
  @Test
  void unknownFieldsInSpecAndStatusAreIgnored() {
    String json = """
        {"apiVersion":"lvs.io/v1alpha1","kind":"LvsNodeState","metadata":{"name":"w1"},
         "spec":{"nodeName":"w1","futureTopLevel":1,
           "services":[{"owner":"ns/a","vip":"198.18.0.1","port":80,"protocol":"TCP","futureService":"x",
             "destinations":[{"address":"198.18.0.11","port":80,"weight":1,"futureDestination":true}],
             "healthCheck":{"type":"TCP","futureCheck":2}}],
           "addresses":[{"owner":"ns/a","address":"198.18.0.1","futureAddress":"eth9"}],
           "links":[{"owner":"ns/a","name":"tunl0","type":"ipip","futureLink":0}],
           "sysctls":[{"owner":"ns/a","key":"net.ipv4.ip_forward","value":"1","futureSysctl":0}],
           "snat":[{"owner":"ns/a","protocol":"TCP","realServers":["198.18.0.11"],"port":80,"toSource":"198.18.0.2","futureSnat":0}]},
         "status":{"observedGeneration":3,"futureStatus":1,
           "owners":[{"owner":"ns/a","programmed":true,"futureOwner":1}],
           "services":[{"owner":"ns/a","service":"TCP 198.18.0.1:80","futureReport":1,
             "destinations":[{"destination":"198.18.0.11:80","futureDest":1}]}]}}
        """;
    LvsNodeState s = Serialization.unmarshal(json, LvsNodeState.class);
    assertThat(s.getSpec().services()).singleElement().satisfies(x -> {
      assertThat(x.destinations()).singleElement().satisfies(d -> assertThat(d.address()).isEqualTo("198.18.0.11"));
      assertThat(x.healthCheck()).isNotNull();
    });
    assertThat(s.getSpec().addresses()).singleElement().satisfies(a -> assertThat(a.address()).isEqualTo("198.18.0.1"));
    assertThat(s.getSpec().links()).hasSize(1);
    assertThat(s.getSpec().sysctls()).singleElement().satisfies(x -> assertThat(x.value()).isEqualTo("1"));
    assertThat(s.getSpec().snat()).singleElement().satisfies(x -> assertThat(x.toSource()).isEqualTo("198.18.0.2"));
    assertThat(s.getStatus().observedGeneration()).isEqualTo(3);
    assertThat(s.getStatus().owners()).singleElement().satisfies(o -> assertThat(o.programmed()).isTrue());
    assertThat(s.getStatus().services()).singleElement().satisfies(r -> assertThat(r.destinations()).hasSize(1));
  }
}
