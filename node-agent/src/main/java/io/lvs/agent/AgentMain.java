package io.lvs.agent;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lvs.agent.runtime.Agent;
import io.lvs.agent.runtime.AgentConfig;
import io.lvs.agent.runtime.ProductionKernel;
import io.lvs.agent.runtime.MarkProgrammer;
import io.lvs.agent.runtime.SnatProgrammer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent process (DaemonSet pod, hostNetwork, privileged). Environment: NODE_NAME
 * (required), LVS_STATE_DIR, LVS_RESYNC_SECONDS, LVS_HTTP_PORT; the API server is found with
 * fabric8's standard config (KUBECONFIG, in-cluster service account, kubernetes.master).
 * Exit status 2: bad configuration; 1: could not start.
 */
public final class AgentMain {
  private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    AgentConfig config;
    try {
      config = AgentConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("lvs-node-agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    // few, quick request retries: the agent has its own backoff and must not park a thread for minutes
    KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.autoConfigure(null))
        .withRequestRetryBackoffLimit(3).withRequestRetryBackoffInterval(200).build()).build();
    Agent agent;
    try {
      SnatProgrammer snat;
      try {
        snat = ProductionKernel.snat();
      } catch (RuntimeException e) {
        // a kernel without nf_tables can still direct DR, TUN and NAT services; FullNAT owners are told
        LOG.atWarn().addKeyValue("error", e.getMessage()).log("no nftables: FullNAT SNAT rules will not be programmed");
        snat = SnatProgrammer.NONE;
      }
      MarkProgrammer marks;
      try {
        marks = ProductionKernel.marks();
      } catch (RuntimeException e) {
        LOG.atWarn().addKeyValue("error", e.getMessage()).log("no nftables: fwmark marking rules will not be programmed");
        marks = MarkProgrammer.NONE;
      }
      agent = new Agent(config, client, ProductionKernel.open(), ProductionKernel.ownershipStore(config.stateDir()),
          snat, marks, ProductionKernel.pods(config.stateDir()), registry, Clock.systemUTC());
      agent.start();
    } catch (Exception e) {
      LOG.atError().setCause(e).addKeyValue("node", config.nodeName()).log("agent could not start");
      client.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // leave the kernel as it is: a stopped agent must not drop traffic
      agent.close();
      client.close();
      stopped.countDown();
    }, "agent-shutdown"));
    stopped.await();
  }
}
