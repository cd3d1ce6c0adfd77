package io.lvs.agent.runtime;

import static io.lvs.agent.fake.Fixtures.desired;
import static io.lvs.agent.fake.Fixtures.rs;
import static io.lvs.agent.fake.Fixtures.tcp;
import static io.lvs.agent.fake.Fixtures.want;
import static io.lvs.agent.model.ForwardMethod.DROUTE;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.runtime.health.MemberKey;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthOverlayTest {
  static final ServiceKey WEB = tcp("198.18.0.100", 80);
  static final ServiceKey API = tcp("198.18.0.101", 80);

  final DesiredState desired = DesiredState.builder()
      .service(desired("lab/web", WEB, "rr", want("198.18.0.11", 80, DROUTE, 3), want("198.18.0.12", 80, DROUTE, 4)))
      .service(desired("lab/api", API, "rr", want("198.18.0.13", 80, DROUTE, 5)))
      .build();

  @Test
  void aMemberDownGoesToWeightZeroAndOnlyItsServiceIsCopied() {
    DesiredState out = HealthOverlay.apply(desired, Set.of(new MemberKey(WEB, rs("198.18.0.12", 80))));

    assertThat(out.services().get(WEB).destinations().get(rs("198.18.0.12", 80)).destination().weight()).isZero();
    assertThat(out.services().get(WEB).destinations().get(rs("198.18.0.11", 80)))
        .isSameAs(desired.services().get(WEB).destinations().get(rs("198.18.0.11", 80)));
    assertThat(out.services().get(WEB).destinations().keySet()).containsExactly(rs("198.18.0.11", 80), rs("198.18.0.12", 80));
    assertThat(out.services().get(API)).isSameAs(desired.services().get(API)); // no member down: not copied
    assertThat(desired.services().get(WEB).destinations().get(rs("198.18.0.12", 80)).destination().weight()).isEqualTo(4);
  }

  @Test
  void nothingDownIsTheSameState() {
    assertThat(HealthOverlay.apply(desired, Set.of())).isSameAs(desired);
  }
}
