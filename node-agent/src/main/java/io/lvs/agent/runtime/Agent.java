package io.lvs.agent.runtime;

import io.fabric8.kubernetes.api.model.Condition;
import io.lvs.agent.runtime.k8s.ApiClient;
import io.lvs.agent.apply.Applier;
import io.lvs.agent.apply.ConnectionDrainer;
import io.lvs.agent.diff.Differ;
import io.lvs.agent.ownership.OwnershipStore;
import io.lvs.agent.podnet.PodNamespaces;
import io.lvs.agent.runtime.health.HealthChecker;
import io.lvs.agent.runtime.health.Probes;
import io.lvs.agent.runtime.http.AgentHttpServer;
import io.lvs.agent.runtime.k8s.NodeStateWatcher;
import io.lvs.agent.runtime.k8s.StatusWriter;
import io.lvs.agent.view.Connection;
import io.lvs.agent.view.ProcConnections;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node agent, wired: watcher (this node's slices) -> sync loop (union, translate, health
 * overlay, apply, read back) -> status writer (each slice's status); health checker; HTTP
 * endpoints. Kernel
 * clients and the ownership store come from outside, so tests run it against in-memory doubles
 * and AgentMain against netlink.
 */
public final class Agent implements AutoCloseable, NodeStateWatcher.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  private final AgentConfig config;
  private final Clock clock;
  private final ScheduledExecutorService syncExecutor;
  private final ScheduledExecutorService ioExecutor;
  private final ScheduledExecutorService probeExecutor;
  private final AgentMetrics metrics;
  private final NodeStateWatcher watcher;
  private final StatusWriter statusWriter;
  private final HealthChecker health;
  private final SyncLoop loop;
  private final LastSpecStore lastSpec;
  private final Supplier<List<Connection>> connections;
  private final Instant started;
  private AgentHttpServer http;
  /** Others that follow this node's slices (the HA runtime); registered before {@link #start}. */
  private final List<java.util.function.Consumer<List<NodeSlice>>> sliceListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Without a marking backend: fwmark owners are told their rules are not programmed. */
  public Agent(AgentConfig config, ApiClient client, KernelClients kernel, OwnershipStore store,
      SnatProgrammer snat, PrometheusMeterRegistry registry, Clock clock) {
    this(config, client, kernel, store, snat, MarkProgrammer.NONE, registry, clock);
  }

  /** Without pod real servers: wanted ones are reported not configured. */
  public Agent(AgentConfig config, ApiClient client, KernelClients kernel, OwnershipStore store,
      SnatProgrammer snat, MarkProgrammer marks, PrometheusMeterRegistry registry, Clock clock) {
    this(config, client, kernel, store, snat, marks, PodNamespaces.NONE, registry, clock);
  }

  /** Connection entries read from the kernel's /proc/net/ip_vs_conn of the agent's namespace. */
  public Agent(AgentConfig config, ApiClient client, KernelClients kernel, OwnershipStore store,
      SnatProgrammer snat, MarkProgrammer marks, PodNamespaces pods, PrometheusMeterRegistry registry, Clock clock) {
    this(config, client, kernel, store, snat, marks, pods, registry, clock,
        () -> ProcConnections.read(ProcConnections.PROC));
  }

  /** Without pod real servers; {@code connections}: the node's connection table, read on each request of /ipvs/connections. */
  public Agent(AgentConfig config, ApiClient client, KernelClients kernel, OwnershipStore store,
      SnatProgrammer snat, MarkProgrammer marks, PrometheusMeterRegistry registry, Clock clock,
      Supplier<List<Connection>> connections) {
    this(config, client, kernel, store, snat, marks, PodNamespaces.NONE, registry, clock, connections);
  }

  /** {@code connections}: the node's connection table, read on each request of /ipvs/connections. */
  public Agent(AgentConfig config, ApiClient client, KernelClients kernel, OwnershipStore store,
      SnatProgrammer snat, MarkProgrammer marks, PodNamespaces pods, PrometheusMeterRegistry registry, Clock clock,
      Supplier<List<Connection>> connections) {
    this.config = config;
    this.connections = connections;
    this.clock = clock;
    this.started = clock.instant();
    this.syncExecutor = Executors.newSingleThreadScheduledExecutor(threads("agent-sync"));
    this.ioExecutor = Executors.newSingleThreadScheduledExecutor(threads("agent-status"));
    this.probeExecutor = Executors.newScheduledThreadPool(4, threads("agent-probe"));
    this.metrics = new AgentMetrics(registry);
    this.watcher = new NodeStateWatcher(client, config.nodeName(), this);
    this.statusWriter = new StatusWriter(client, config.nodeName(), watcher::latest, ioExecutor, metrics,
        config.statusHeartbeat(), clock);
    this.health = new HealthChecker(probeExecutor, new Probes(), this::triggerSync);
    Applier applier = new Applier(kernel.ipvs(), kernel.rtnl(), kernel.sysctl(), store, new Differ(new ConnectionDrainer(clock)),
        Applier.RESYNC_MINIMUM_DEEP, config.fullReadEvery());
    this.loop = new SyncLoop(applier, kernel.ipvs(), kernel.rtnl(), health, snat, marks, pods, statusWriter, metrics, clock,
        syncExecutor, config.resync());
    this.lastSpec = new LastSpecStore(config.stateDir());
  }

  private void triggerSync() {
    loop.trigger();
  }

  /** {@code l} gets every new set of this node's slices (the saved ones at start too), on the watcher's thread. */
  public void addSliceListener(java.util.function.Consumer<List<NodeSlice>> l) {
    sliceListeners.add(l);
  }

  /** Starts everything; returns at once (the watch connects in the background, retrying). */
  public void start() throws IOException {
    // the timer first: started after the saved slices' sync was queued, it would wait for that
    // whole first sync (one lock), and so would the watcher and the HTTP endpoint (minutes at 10,000 services)
    loop.start();
    lastSpec.load().ifPresent(saved -> {
      LOG.atInfo().addKeyValue("slices", saved.slices().stream().map(s -> s.name() + "@" + s.generation()).toList())
          .log("resuming from the last applied slices until the API server answers");
      loop.onSlices(saved.slices(), Map.of());
      sliceListeners.forEach(l -> l.accept(saved.slices()));
    });
    watcher.start();
    // a safety net under the watch's deliveries (see NodeStateWatcher.deliverIfChanged); cheap
    ioExecutor.scheduleWithFixedDelay(this::redeliver, config.resync().toMillis(), config.resync().toMillis(),
        TimeUnit.MILLISECONDS);
    if (config.httpPort() > 0) {
      http = new AgentHttpServer(config.httpPort(), this::liveProblem, this::readyProblem, metrics::scrape);
      IpvsViewRoutes.install(http, new IpvsViews(loop::lastOutcome, connections));
      http.start();
    }
    LOG.atInfo().addKeyValue("node", config.nodeName()).addKeyValue("resync", config.resync())
        .addKeyValue("httpPort", config.httpPort()).log("agent started");
  }

  private void redeliver() {
    try {
      watcher.deliverIfChanged();
    } catch (RuntimeException e) {
      LOG.atWarn().addKeyValue("error", e.getMessage()).log("could not re-read the node's slices");
    }
  }

  /** All of this node's slices (none: the operator wants nothing here). */
  @Override
  public void onSlices(List<LvsNodeState> objects) {
    List<NodeSlice> slices = new ArrayList<>();
    Map<String, List<Condition>> previous = new HashMap<>();
    for (LvsNodeState o : objects) {
      String name = o.getMetadata().getName();
      slices.add(new NodeSlice(name, o.getMetadata().getGeneration() == null ? 0 : o.getMetadata().getGeneration(),
          o.getSpec()));
      if (o.getStatus() != null && o.getStatus().conditions() != null) {
        previous.put(name, o.getStatus().conditions());
      }
    }
    loop.onSlices(slices, previous);
    sliceListeners.forEach(l -> l.accept(slices));
    try {
      lastSpec.save(new LastSpecStore.Saved(slices));
    } catch (RuntimeException e) {
      LOG.atWarn().addKeyValue("error", e.getMessage()).log("could not keep the last slices");
    }
  }

  /** Empty when alive: the sync loop has run within a few resync periods (or has had nothing to do). */
  public Optional<String> liveProblem() {
    Duration limit = config.resync().multipliedBy(3).plusSeconds(60);
    Instant last = loop.lastSyncEnd().orElse(started);
    if (loop.target().isPresent() && Duration.between(last, clock.instant()).compareTo(limit) > 0) {
      return Optional.of("no sync finished for " + Duration.between(last, clock.instant()).toSeconds() + " s");
    }
    return Optional.empty();
  }

  /**
   * Empty when ready: the node's slices were listed once and, if there are any, a sync has run
   * since. A node the operator has no slice for (nothing to program yet) is ready: waiting for one
   * would keep a fresh node's agent unready until the first VirtualService.
   */
  public Optional<String> readyProblem() {
    if (!watcher.hasSynced()) {
      return Optional.of("node state of " + config.nodeName() + " not listed yet");
    }
    if (loop.target().isPresent() && loop.lastOutcome().isEmpty()) {
      return Optional.of("no sync finished yet");
    }
    return Optional.empty();
  }

  public SyncLoop loop() {
    return loop;
  }

  public NodeStateWatcher watcher() {
    return watcher;
  }

  public int httpPort() {
    return http == null ? 0 : http.port();
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
    watcher.close();
    loop.close();
    health.close();
    syncExecutor.shutdownNow();
    probeExecutor.shutdownNow();
    ioExecutor.shutdownNow();
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
