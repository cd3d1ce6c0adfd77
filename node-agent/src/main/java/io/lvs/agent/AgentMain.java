package io.lvs.agent;

import io.fabric8.kubernetes.client.Config;
import io.lvs.agent.ipvs.NetlinkIpvsClient;
import io.lvs.agent.rtnl.NetlinkRtnlClient;
import io.lvs.agent.runtime.Agent;
import io.lvs.agent.runtime.AgentConfig;
import io.lvs.agent.runtime.ProductionKernel;
import io.lvs.agent.runtime.MarkProgrammer;
import io.lvs.agent.runtime.SnatProgrammer;
import io.lvs.agent.runtime.ha.HaLedger;
import io.lvs.agent.runtime.ha.HaRuntime;
import io.lvs.agent.runtime.ha.HaSettings;
import io.lvs.agent.runtime.k8s.ApiClient;
import io.lvs.agent.runtime.k8s.VipLeaseClient;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent process (DaemonSet pod, hostNetwork, privileged). Environment: NODE_NAME
 * (required), LVS_STATE_DIR, LVS_RESYNC_SECONDS, LVS_RESYNC_FULL_READ_EVERY, LVS_HTTP_PORT, and the HA settings of
 * {@link HaSettings}; the API server is found with
 * fabric8's standard config rules (KUBECONFIG, in-cluster service account, kubernetes.master) and
 * reached with the agent's own {@link ApiClient}.
 * Exit status 2: bad configuration; 1: could not start.
 */
public final class AgentMain {
  private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

  private AgentMain() {}

  /**
   * The HA VIP elections, on their own API client (short timeouts, no retries: a Lease call must
   * never block the election past its safety margin) and their own netlink sockets.
   */
  private static HaRuntime haRuntime(AgentConfig config, HaSettings ha, PrometheusMeterRegistry registry) {
    int ms = (int) ha.apiTimeout().toMillis();
    Supplier<ApiClient> leases = () -> ApiClient.of(Config.autoConfigure(null),
        new ApiClient.Settings(Duration.ofMillis(ms), 0, Duration.ZERO));
    return new HaRuntime(config.nodeName(), ha, new VipLeaseClient(leases, ha.namespace()), NetlinkRtnlClient.open(null),
        NetlinkIpvsClient.open(null), new HaLedger(config.stateDir()), registry, HaRuntime::monotonicNow,
        Clock.systemUTC());
  }

  /**
   * The agent's API client for {@code config}: a 10 s request timeout and few, quick retries (the
   * agent has its own backoff and must not park a thread for minutes).
   */
  static ApiClient apiClient(Config config) {
    return ApiClient.of(config, new ApiClient.Settings(Duration.ofSeconds(10), 3, Duration.ofMillis(200)));
  }

  public static void main(String[] args) throws Exception {
    AgentConfig config;
    HaSettings ha;
    try {
      config = AgentConfig.fromEnv(System.getenv());
      ha = HaSettings.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("lvs-node-agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    ApiClient client = apiClient(Config.autoConfigure(null));
    Agent agent;
    HaRuntime haRuntime;
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
      haRuntime = haRuntime(config, ha, registry);
      agent.addSliceListener(haRuntime::onSlices);
      haRuntime.start();
      agent.start();
    } catch (Exception e) {
      LOG.atError().setCause(e).addKeyValue("node", config.nodeName()).log("agent could not start");
      client.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // leave the kernel as it is: a stopped agent must not drop traffic (a held VIP stays until
      // the next agent process removes it at its start; docs/ha.md, failure modes)
      haRuntime.close();
      agent.close();
      client.close();
      stopped.countDown();
    }, "agent-shutdown"));
    stopped.await();
  }
}
