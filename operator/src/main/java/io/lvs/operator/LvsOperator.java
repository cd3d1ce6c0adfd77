package io.lvs.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.lvs.operator.apply.EventRecorder;
import io.lvs.operator.apply.MemberHealthBook;
import io.lvs.operator.apply.NodeStateWriter;
import io.lvs.operator.apply.ProgrammingLedger;
import io.lvs.operator.apply.ResolvedPools;
import io.lvs.operator.apply.VipLeases;
import io.lvs.operator.controller.InformerView;
import io.lvs.operator.controller.LvsNodeConfigReconciler;
import io.lvs.operator.controller.OutcomeEvents;
import io.lvs.operator.controller.RealServerPoolReconciler;
import io.lvs.operator.controller.VirtualServiceReconciler;
import io.lvs.operator.discovery.EndpointSliceApi;
import io.lvs.operator.publish.ServicePublisher;
import io.lvs.operator.sync.NodeStateSync;
import io.lvs.operator.validate.SchemaAndCelValidation;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the controllers, the node-state sync and leader election onto one client. */
public final class LvsOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LvsOperator.class);
  /**
   * How long the first node-state plan may wait for the pool controller's first pass. At 2,000
   * pools on a loaded 1.20 API server that pass took ~45 s (each pool's status write shares the
   * reconcile threads with the VirtualServices' finalizer writes); planning before it ends writes
   * every (large) node object once more per batch of pools.
   */
  static final Duration STARTUP_HOLD = Duration.ofSeconds(90);
  /**
   * How long the informers may take to list everything before the process gives up and exits:
   * JOSDK's 2 min ran out for a restarted standby beside a leader programming 1,000 services on
   * the emulated cluster lane, which then restarted in a loop. Well inside the chart's startup
   * probe (120 x 10 s), which is what should decide that a process is stuck.
   */
  static final Duration CACHE_SYNC_TIMEOUT = Duration.ofMinutes(10);
  /** Node-object and Lease writes in flight at once. */
  static final int PARALLEL_WRITES = 6;
  private final Operator operator;
  private final NodeStateSync sync;
  private final AtomicBoolean started = new AtomicBoolean();

  public LvsOperator(KubernetesClient client, Settings settings, Clock clock, MeterRegistry metrics) {
    this(client, settings, clock, metrics, new Election(identity(), true));
  }

  /**
   * This replica's name in the leader Lease, and whether losing the lead ends the process (as it
   * must in production: its reconciliations may still be running; tests run two replicas in one JVM).
   */
  record Election(String identity, boolean exitOnStopLeading) {}

  LvsOperator(KubernetesClient client, Settings settings, Clock clock, MeterRegistry metrics, Election election) {
    SchemaAndCelValidation validation = new SchemaAndCelValidation();
    EventRecorder events = new EventRecorder(client, clock);
    VipLeases leases = new VipLeases(client, settings.namespace(), clock);
    NodeStateWriter writer = new NodeStateWriter(client, metrics);
    ProgrammingLedger ledger = new ProgrammingLedger();
    ResolvedPools resolved = new ResolvedPools();
    MemberHealthBook health = new MemberHealthBook();
    InformerView view = new InformerView();
    OutcomeEvents outcomes = new OutcomeEvents();
    this.sync = new NodeStateSync(
        new NodeStateSync.Sources(view, resolved, validation),
        new NodeStateSync.Targets(writer, leases, ledger, outcomes),
        new NodeStateSync.Tuning(Duration.ofSeconds(1), STARTUP_HOLD, PARALLEL_WRITES, settings.sliceMaxEntries()),
        metrics);
    this.operator =
        new Operator(o -> {
          o.withKubernetesClient(client).withCloseClientOnStop(false)
              .withReconciliationTerminationTimeout(Duration.ofSeconds(5))
              .withConcurrentReconciliationThreads(settings.reconcileThreads())
              .withCacheSyncTimeout(CACHE_SYNC_TIMEOUT);
          if (settings.leaderElection()) {
            o.withLeaderElectionConfiguration(
                LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration("lvs-operator")
                    .withLeaseNamespace(settings.namespace())
                    .withIdentity(election.identity())
                    .withLeaseDuration(settings.lease().duration())
                    .withRenewDeadline(settings.lease().renewDeadline())
                    .withRetryPeriod(settings.lease().retryPeriod())
                    .withExitOnStopLeading(election.exitOnStopLeading())
                    .build());
          }
        });
    EndpointSliceApi sliceApi = EndpointSliceApi.discover(client);
    LOG.info("EndpointSlice API {}", sliceApi.apiVersion());
    VirtualServiceReconciler services = new VirtualServiceReconciler(
        new VirtualServiceReconciler.Sync(view, sync, sync.planned(), outcomes),
        ledger, resolved, health, validation, events, new ServicePublisher(client, sliceApi, clock), clock,
        settings.goneNodeTimeout(), metrics, settings.namespace());
    operator.register(services, c -> namespaces(c, settings));
    operator.register(new LvsNodeConfigReconciler(view, sync, validation, clock));
    operator.register(new RealServerPoolReconciler(clock, metrics, validation::validate, resolved, health, sliceApi),
        c -> namespaces(c, settings));
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> void namespaces(
      io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider<R> c, Settings settings) {
    if (settings.watchNamespaces().isEmpty()) {
      c.watchingAllNamespaces();
    } else {
      c.settingNamespaces(settings.watchNamespaces());
    }
  }

  /** The pod name when the chart sets POD_NAME, else host and pid: unique among replicas. */
  static String identity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  public void start() {
    operator.start();
    started.set(true);
    LOG.info("operator started");
  }

  /**
   * Ready: started, and every informer healthy. A standby replica (leader election, another replica
   * leads) is ready too: its informers have not started, and the SDK counts them as unknown, not
   * unhealthy (LeadershipApiServerTest); a rolling update and the PDB need that.
   */
  public boolean ready() {
    return started.get() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    sync.close(); // the sync first: it must not write through a client being shut down
    operator.stop();
  }
}
