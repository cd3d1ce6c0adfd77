package io.lvs.operator.validate;

import static io.lvs.operator.fixtures.Specs.vs;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.StaticMember;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaAndCelValidationTest {
  private final SchemaAndCelValidation validation = new SchemaAndCelValidation();

  private static VirtualServiceSpec with(VirtualServiceSpec s, String vip, List<ServicePort> ports, Long fwmark, Forwarding f) {
    return new VirtualServiceSpec(vip, ports, fwmark, null, f, s.scheduler(), null, null, null, s.realServerPoolRef(),
        s.directors(), null);
  }

  @Test
  void aValidSpecPasses() {
    assertThat(validation.validate(vs("10.0.0.1", 80, Forwarding.DirectRouting, "p"))).isEmpty();
  }

  @Test
  void crossFieldRulesTheApiServerCannotCheckBefore125AreRefusedNamingTheField() {
    var base = vs("10.0.0.1", 80, Forwarding.DirectRouting, "p");
    assertThat(validation.validate(with(base, "10.0.0.1", base.ports(), 5L, Forwarding.DirectRouting)))
        .anyMatch(m -> m.contains("set either vip with ports, or fwmark"));
    assertThat(validation.validate(with(base, "10.0.0.1", null, null, Forwarding.DirectRouting)))
        .anyMatch(m -> m.startsWith("spec.ports") && m.contains("required when"));
    var rewrite = List.of(new ServicePort(null, 80, Protocol.TCP, 8080));
    assertThat(validation.validate(with(base, "10.0.0.1", rewrite, null, Forwarding.Tunnel)))
        .anyMatch(m -> m.contains("targetPort"));
    assertThat(validation.validate(with(base, "10.0.0.1", rewrite, null, Forwarding.NAT))).isEmpty();
    assertThat(validation.validate(with(base, "300.0.0.1", base.ports(), null, Forwarding.NAT)))
        .anyMatch(m -> m.startsWith("spec.vip"));
  }

  @Test
  void poolsAreCheckedToo() {
    assertThat(validation.validate(new RealServerPoolSpec(null, null, null, null, null, null, null, null, null)))
        .anyMatch(m -> m.contains("at least one member source"));
    assertThat(validation.validate(new RealServerPoolSpec(null, null, null,
        List.of(new StaticMember("192.0.2.1", 80, null)), null, null, null, null, null))).isEmpty();
  }

  @Test
  void anEqualSpecSeenAgainGetsTheSameAnswer() {
    var base = vs("10.0.0.1", 80, Forwarding.DirectRouting, "p");
    List<String> first = validation.validate(with(base, "300.0.0.1", base.ports(), null, Forwarding.NAT));
    List<String> again = validation.validate(with(base, "300.0.0.1", base.ports(), null, Forwarding.NAT));
    assertThat(first).isNotEmpty().isEqualTo(again);
    assertThat(validation.validate(with(base, "10.0.0.2", base.ports(), null, Forwarding.NAT))).isEmpty();
  }
}
