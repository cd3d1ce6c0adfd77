package io.lvs.agent.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentHttpServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Many series, as at 10,000 services: the text is several times the 64 KiB buffer it is streamed through. */
  private static PrometheusMeterRegistry registryWithManySeries() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("lvs_agent_syncs").tag("result", "ok").register(registry).increment(3);
    registry.getPrometheusRegistry().register((MultiCollector) () -> {
      GaugeSnapshot.Builder g = GaugeSnapshot.builder().name("lvs_test_service_connections").help("test series");
      for (int i = 0; i < 5_000; i++) {
        g.dataPoint(GaugeDataPointSnapshot.builder()
            .labels(Labels.of("service", "TCP 198.18." + (i / 250) + "." + (i % 250) + ":80")).value(i).build());
      }
      return new MetricSnapshots(g.build());
    });
    return registry;
  }

  private static HttpResponse<String> get(AgentHttpServer server, String path, String method) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsAreStreamedAndEqualTheRegistrysOwnText() throws Exception {
    PrometheusMeterRegistry registry = registryWithManySeries();
    try (AgentHttpServer server = new AgentHttpServer(0, Optional::empty, Optional::empty, registry)) {
      server.start();
      HttpResponse<String> r = get(server, "/metrics", "GET");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
      // chunked, not a Content-Length: the text was never held whole
      assertThat(r.headers().firstValue("Transfer-Encoding")).contains("chunked");
      assertThat(r.headers().firstValue("Content-Length")).isEmpty();
      assertThat(r.body().length()).isGreaterThan(4 * 65_536);
      assertThat(r.body()).isEqualTo(registry.scrape());
      assertThat(r.body()).contains("lvs_test_service_connections{service=\"TCP 198.18.19.249:80\"} 4999.0")
          .contains("lvs_agent_syncs_total{result=\"ok\"} 3.0");
    }
  }

  @Test
  void metricsAnswerOnlyGet() throws Exception {
    try (AgentHttpServer server = new AgentHttpServer(0, Optional::empty, Optional::empty,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
      server.start();
      HttpResponse<String> r = get(server, "/metrics", "POST");

      assertThat(r.statusCode()).isEqualTo(405);
      assertThat(r.body()).isEqualTo("GET only\n");
    }
  }

  @Test
  void checksAnswerOkOrTheProblem() throws Exception {
    try (AgentHttpServer server = new AgentHttpServer(0, Optional::empty, () -> Optional.of("no sync finished yet"),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
      server.start();

      assertThat(List.of(get(server, "/healthz", "GET").statusCode(), get(server, "/readyz", "GET").statusCode()))
          .containsExactly(200, 503);
      assertThat(get(server, "/readyz", "GET").body()).isEqualTo("no sync finished yet\n");
    }
  }
}
