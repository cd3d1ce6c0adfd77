package io.lvs.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lvs.operator.http.HealthServer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator process: env settings, fabric8's standard client config, HTTP endpoints. */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.fromEnv(System.getenv());
    LOG.info("starting settings={}", settings);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    KubernetesClient client = new KubernetesClientBuilder().build();
    LvsOperator operator = new LvsOperator(client, settings, Clock.systemUTC(), metrics);
    HealthServer http = settings.httpPort() == 0 ? null : new HealthServer(settings.httpPort(), operator::ready, metrics);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      operator.close();
      if (http != null) {
        http.close();
      }
      client.close();
      stop.countDown();
    }, "shutdown"));
    try {
      operator.start();
    } catch (RuntimeException e) {
      // the SDK gives up when an informer cannot start; without an exit the health server's thread
      // keeps the process alive, unready for good, and kubelet never restarts it
      LOG.error("the operator could not start; exiting", e);
      System.exit(1);
    }
    stop.await();
  }
}
