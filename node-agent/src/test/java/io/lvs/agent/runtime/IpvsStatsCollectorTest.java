package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpvsStatsCollectorTest {
  /** Service i (VIP 198.18.0.1 for 0, as AgentProcessAtScaleKernelTest numbers them) with its destinations. */
  static ObservedService service(int i, int dests) throws Exception {
    ServiceKey k = ServiceKey.of(IpProtocol.TCP, InetAddress.getByName(AgentProcessAtScaleKernelTest.vip(i)), 80);
    List<ObservedDestination> ds = new ArrayList<>();
    for (int d = 0; d < dests; d++) {
      ds.add(new ObservedDestination(Destination.of(new DestinationKey(InetAddress.getByName("198.19.0." + (1 + d)), 80),
          ForwardMethod.DROUTE, 1), 0, 0, 0, new Stats(7, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
    }
    return new ObservedService(new IpvsService(k, "rr", 0, 0, 32), new Stats(70, 0, 0, 0, 0, 0, 0, 0, 0, 0), ds);
  }

  static String text(MetricSnapshots s) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, s);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void ownedServicesAndDestinationsArePublishedForeignOnesNot() throws Exception {
    ObservedService ours = service(0, 2);
    ObservedService foreign = service(1, 2);
    IpvsStatsCollector c = new IpvsStatsCollector(4,
        new IpvsStatsText.Table(List.of(ours, foreign), Map.of(ours.service().key(), "ns/web")));

    String t = text(c.collect());
    assertThat(t).contains("lvs_ipvs_service_connections{owner=\"ns/web\",service=\"TCP 198.18.0.1:80\"} 70.0")
        .contains("lvs_ipvs_destination_connections{destination=\"198.19.0.2:80\",owner=\"ns/web\",service=\"TCP 198.18.0.1:80\"} 7.0")
        .contains("lvs_agent_destination_metrics_suppressed 0.0")
        .doesNotContain("198.18.0.2:80");
  }

  @Test
  void beyondTheLimitDestinationSeriesAreLeftOutAllTogetherAndSaidSo() throws Exception {
    ObservedService a = service(0, 3);
    ObservedService b = service(1, 2);
    IpvsStatsCollector c = new IpvsStatsCollector(4,
        new IpvsStatsText.Table(List.of(a, b), Map.of(a.service().key(), "ns/a", b.service().key(), "ns/b")));

    String t = text(c.collect());
    assertThat(t).doesNotContain("lvs_ipvs_destination_connections{")
        .contains("lvs_ipvs_service_connections{owner=\"ns/b\",service=\"TCP 198.18.0.2:80\"} 70.0")
        .contains("lvs_agent_destination_metrics_suppressed 1.0");
  }
}
