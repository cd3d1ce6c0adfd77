package io.lvs.agent.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The -Ln layouts, each column where ipvsadm puts it. */
class IpvsadmTextTest {
  static List<ObservedService> services() throws Exception {
    ServiceKey k = ServiceKey.of(IpProtocol.TCP, InetAddress.getByName("198.18.0.10"), 80);
    IpvsService svc = new IpvsService(k, "wrr", IpvsService.F_PERSISTENT, 300, 24);
    ObservedDestination d = new ObservedDestination(
        Destination.of(new DestinationKey(InetAddress.getByName("198.18.0.11"), 80), ForwardMethod.DROUTE, 3), 2, 5, 1,
        new Stats(7, 70, 0, 123_456_789_012L, 0, 1, 12, 0, 960, 0));
    return List.of(new ObservedService(svc, new Stats(7, 70, 0, 123_456_789_012L, 0, 1, 12, 0, 960, 0), List.of(d)));
  }

  @Test
  void plainListsSchedulerFlagsAndForwardWeightConnections() throws Exception {
    assertThat(IpvsadmText.services(services(), ServiceView.PLAIN)).isEqualTo("""
        Prot LocalAddress:Port Scheduler Flags
          -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
        TCP  198.18.0.10:80 wrr persistent 300 mask 255.255.255.0
          -> 198.18.0.11:80               Route   3      2          5        \s
        """);
  }

  @Test
  void statsRateAndPersistentConnColumns() throws Exception {
    assertThat(IpvsadmText.services(services(), ServiceView.STATS)).contains(
        "TCP  198.18.0.10:80                      7       70        0  123456M        0\n");
    // the header as ipvsadm 1.31 prints it (kernel lab): column titles right-aligned over the numbers
    assertThat(IpvsadmText.services(services(), ServiceView.RATE)).startsWith(
        "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n");
    assertThat(IpvsadmText.services(services(), ServiceView.RATE)).contains(
        "  -> 198.18.0.11:80                      1       12        0      960        0\n");
    assertThat(IpvsadmText.services(services(), ServiceView.PERSISTENT_CONN)).contains(
        "  -> 198.18.0.11:80               3         1           2          5         \n");
  }

  @Test
  void anUnknownViewIsRefusedByName() {
    assertThat(ServiceView.parse("persistent-conn")).isEqualTo(ServiceView.PERSISTENT_CONN);
    assertThat(ServiceView.parse(null)).isEqualTo(ServiceView.PLAIN);
    assertThatThrownBy(() -> ServiceView.parse("rates")).hasMessage(
        "view: \"rates\" is not one of stats, rate, persistent-conn");
  }
}
