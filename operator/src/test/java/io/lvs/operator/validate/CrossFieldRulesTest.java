package io.lvs.operator.validate;

import static io.lvs.operator.fixtures.Specs.vs;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrossFieldRulesTest {
  private final SpecValidation rules = new CrossFieldRules();

  private static VirtualServiceSpec with(VirtualServiceSpec s, String vip, List<ServicePort> ports, Long fwmark, Forwarding f) {
    return new VirtualServiceSpec(vip, ports, fwmark, null, f, s.scheduler(), null, null, null, s.realServerPoolRef(),
        s.directors(), null);
  }

  @Test
  void aValidSpecPasses() {
    assertThat(rules.validate(vs("10.0.0.1", 80, Forwarding.DirectRouting, "p"))).isEmpty();
  }

  @Test
  void eachRuleNamesItsField() {
    var base = vs("10.0.0.1", 80, Forwarding.DirectRouting, "p");
    assertThat(rules.validate(with(base, "10.0.0.1", base.ports(), 5L, Forwarding.DirectRouting)))
        .containsExactly("spec: set either vip with ports, or fwmark, not both and not neither");
    assertThat(rules.validate(with(base, null, null, null, Forwarding.DirectRouting)))
        .containsExactly("spec: set either vip with ports, or fwmark, not both and not neither");
    assertThat(rules.validate(with(base, "10.0.0.1", null, null, Forwarding.DirectRouting)))
        .containsExactly("spec.ports: required when spec.vip is set");
    var rewrite = List.of(new ServicePort(null, 80, Protocol.TCP, 8080));
    assertThat(rules.validate(with(base, "10.0.0.1", rewrite, null, Forwarding.Tunnel)))
        .containsExactly("spec.ports[].targetPort: Tunnel cannot rewrite port 80 to 8080 (only NAT and FullNAT may)");
    assertThat(rules.validate(with(base, "10.0.0.1", rewrite, null, Forwarding.NAT))).isEmpty();
    var dup = List.of(new ServicePort(null, 80, null, null), new ServicePort(null, 80, Protocol.TCP, null));
    assertThat(rules.validate(with(base, "10.0.0.1", dup, null, Forwarding.NAT)))
        .containsExactly("spec.ports: 80/TCP appears more than once");
  }
}
