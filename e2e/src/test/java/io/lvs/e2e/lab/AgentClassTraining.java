package io.lvs.e2e.lab;

import io.fabric8.kubernetes.client.Config;
import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.rtnl.RtnlClient;
import io.lvs.agent.runtime.Agent;
import io.lvs.agent.runtime.AgentConfig;
import io.lvs.agent.runtime.KernelClients;
import io.lvs.agent.runtime.ProductionKernel;
import io.lvs.agent.runtime.SnatProgrammer;
import io.lvs.agent.runtime.k8s.ApiClient;
import io.lvs.agent.sysctl.Sysctl;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the node agent's start-up path on the host for a few seconds, so that a JVM started with
 * {@code -XX:ArchiveClassesAtExit} records the classes an agent loads in a class-data-sharing
 * archive; the agents in the VM map that archive instead of parsing and verifying thousands of
 * classes under software emulation. The host has no IPVS, so the kernel clients here answer
 * nothing (the real netlink clients are still opened, to load their classes, and fail); the API
 * server side is real. Not a test and not the product: a warm-up for the lab's JVMs.
 */
public final class AgentClassTraining {
  private AgentClassTraining() {}

  public static void main(String[] args) throws Exception {
    long millis = args.length > 0 ? Long.parseLong(args[0]) : 8000;
    AgentConfig config = AgentConfig.fromEnv(System.getenv());
    try {
      ProductionKernel.open();
    } catch (RuntimeException expected) {
      // no IPVS on the host: the netlink codec's classes are loaded on the way to the failure
    }
    try {
      ProductionKernel.snat();
    } catch (RuntimeException expected) {
      // likewise for nftables
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    ApiClient client = ApiClient.of(Config.autoConfigure(null),
        new ApiClient.Settings(Duration.ofSeconds(10), 3, Duration.ofMillis(200)));
    KernelClients kernel = new KernelClients(silent(IpvsClient.class), silent(RtnlClient.class), silent(Sysctl.class));
    Agent agent = new Agent(config, client, kernel, ProductionKernel.ownershipStore(config.stateDir()), SnatProgrammer.NONE,
        registry, Clock.systemUTC());
    agent.start();
    HttpClient http = HttpClient.newHttpClient();
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      for (String path : List.of("/healthz", "/readyz", "/metrics")) {
        try {
          http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.httpPort() + path)).build(),
              HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
          // not up yet
        }
      }
      Thread.sleep(500);
    }
    agent.close();
    client.close();
    System.exit(0);
  }

  /** A kernel client that holds nothing and accepts everything. */
  private static <T> T silent(Class<T> type) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      Class<?> r = method.getReturnType();
      if (r == List.class) {
        return List.of();
      } else if (r == Map.class) {
        return Map.of();
      } else if (r == Set.class) {
        return Set.of();
      } else if (r == Optional.class) {
        return Optional.empty();
      } else if (r == boolean.class) {
        return false;
      } else if (r == int.class || r == long.class) {
        return r == int.class ? (Object) 0 : (Object) 0L;
      } else if (method.getName().equals("toString")) {
        return "silent " + type.getSimpleName();
      }
      return null;
    }));
  }
}
