package io.lvs.agent.apply;

import static io.lvs.agent.fake.Fixtures.desired;
import static io.lvs.agent.fake.Fixtures.tcp;
import static io.lvs.agent.fake.Fixtures.want;
import static io.lvs.agent.model.ForwardMethod.DROUTE;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.ObservedState;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The view shares the desired state's values only where they equal what was read. */
class KernelViewTest {
  static final ServiceKey WEB = tcp("198.18.0.100", 80);
  static final ServiceKey FOREIGN = tcp("198.18.0.200", 80);

  @Test
  void equalValuesAreTheDesiredOnesAndEverythingElseStaysAsRead() {
    DesiredService web = desired("lab/dr", WEB, "rr", want("198.18.0.11", 80, DROUTE, 1), want("198.18.0.12", 80, DROUTE, 5));
    // as decoded: equal objects, not the same ones; .12 holds weight 2 (drift), .13 is not wanted
    Destination d11 = copy(web.destinations().values().stream().toList().get(0).destination());
    Destination d12 = copy(web.destinations().values().stream().toList().get(1).destination()).withWeight(2);
    Destination d13 = Destination.of(new io.lvs.agent.model.DestinationKey(ip("198.18.0.13"), 80), DROUTE, 1);
    IpvsService read = new IpvsService(tcp("198.18.0.100", 80), new String("rr"), IpvsService.F_HASHED, 0, 32);
    ObservedService seen = new ObservedService(read, Stats.ZERO, List.of(od(d11, 7), od(d12, 0), od(d13, 0)));
    ObservedService foreign = new ObservedService(new IpvsService(FOREIGN, "wlc", 0, 0, 32), Stats.ZERO, List.of(od(d11, 0)));

    KernelView view = new KernelView(new ObservedState(List.of(seen, foreign), List.of(), List.of(), Map.of()),
        DesiredState.builder().service(web).build());

    ObservedService v = view.servicesByKey().get(WEB);
    assertThat(v.service().key()).isSameAs(WEB);
    assertThat(v.service().scheduler()).isSameAs(web.service().scheduler());
    assertThat(v.service().flags()).isEqualTo(IpvsService.F_HASHED);
    assertThat(v.destinations()).hasSize(3);
    assertThat(v.destinations().get(0).destination()).isSameAs(web.destinations().get(d11.key()).destination());
    assertThat(v.destinations().get(0).activeConnections()).isEqualTo(7);
    assertThat(v.destinations().get(1).destination()).isSameAs(d12); // drift: the kernel's value, for the differ
    assertThat(v.destinations().get(2).destination()).isSameAs(d13);
    assertThat(view.servicesByKey().get(FOREIGN)).isSameAs(foreign);
  }

  static ObservedDestination od(Destination d, long active) {
    return new ObservedDestination(d, active, 0, 0, Stats.ZERO);
  }

  static Destination copy(Destination d) {
    return new Destination(new io.lvs.agent.model.DestinationKey(ip(d.key().address().getHostAddress()), d.key().port()),
        d.forwardMethod(), d.weight(), d.upperThreshold(), d.lowerThreshold(), d.tunnelType(), d.tunnelPort(),
        d.tunnelFlags());
  }

  static java.net.InetAddress ip(String s) {
    try {
      return java.net.InetAddress.getByAddress(java.net.InetAddress.getByName(s).getAddress());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
