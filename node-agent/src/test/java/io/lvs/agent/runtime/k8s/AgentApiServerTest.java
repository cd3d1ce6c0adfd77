package io.lvs.agent.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.ownership.OwnershipStore;
import io.lvs.agent.runtime.Agent;
import io.lvs.agent.runtime.AgentConfig;
import io.lvs.agent.runtime.AgentMetrics;
import io.lvs.agent.runtime.InMemoryKernel;
import io.lvs.agent.runtime.IpLiterals;
import io.lvs.agent.runtime.KernelClients;
import io.lvs.agent.runtime.SnatProgrammer;
import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.Protocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's Kubernetes side against a real kube-apiserver 1.20.2: watch, status, outage. */
class AgentApiServerTest {
  static ApiServer api;

  @BeforeAll
  static void startApiServer() {
    api = ApiServer.shared();
  }

  static LvsNodeStateSpec spec(String node, String vip, String... members) {
    return ownedSpec(node, "ns/web", vip, members);
  }

  static LvsNodeStateSpec ownedSpec(String node, String owner, String vip, String... members) {
    return new LvsNodeStateSpec(node,
        List.of(new NodeIpvsService(owner, vip, 80, Protocol.TCP, null, null, "rr", null, null, null,
            java.util.Arrays.stream(members)
                .map(m -> new NodeDestination(m, null, 1, Forwarding.DirectRouting, null, null, null, null)).toList(),
            null)),
        null, null, null, null);
  }

  /** A slice as the operator writes it: spec.nodeName and the node label. */
  static LvsNodeState create(KubernetesClient c, String name, LvsNodeStateSpec spec) {
    return create(c, name, NodeSlices.labelValue(spec.nodeName()), spec);
  }

  static LvsNodeState create(KubernetesClient c, String name, String nodeLabel, LvsNodeStateSpec spec) {
    LvsNodeState n = new LvsNodeState();
    n.setMetadata(new ObjectMetaBuilder().withName(name).addToLabels(NodeSlices.NODE_LABEL, nodeLabel).build());
    n.setSpec(spec);
    return c.resource(n).create();
  }

  static void setSpec(KubernetesClient c, String name, LvsNodeStateSpec spec) {
    c.resources(LvsNodeState.class).withName(name).edit(n -> {
      n.setSpec(spec);
      return n;
    });
  }

  static LvsNodeState get(String name) {
    return api.admin.resources(LvsNodeState.class).withName(name).get();
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static ServiceKey web(String vip) {
    return ServiceKey.of(IpProtocol.TCP, IpLiterals.parse(vip), 80);
  }

  @Test
  void theWatchersCacheKeepsOfAStatusOnlyWhatTheAgentReadsBack() {
    create(api.admin, "trim-a", spec("trim-a", "198.18.1.31", "198.18.1.41"));
    io.fabric8.kubernetes.api.model.Condition ready = new io.fabric8.kubernetes.api.model.ConditionBuilder()
        .withType("Ready").withStatus("True").withReason("Programmed").withLastTransitionTime("2026-12-03T23:00:00Z").build();
    var report = new io.lvs.api.v1alpha1.ServiceReport("ns/web", "TCP 198.18.1.31:80", true, null,
        List.of(new io.lvs.api.v1alpha1.DestinationReport("198.18.1.41", 80, 1, null, 0L, 0L, 0L, 0L, 0L, 0L, 0L, null, null)),
        0L, 0L, 0L, 0L, 0L);
    api.admin.resources(LvsNodeState.class).withName("trim-a").editStatus(n -> {
      n.setStatus(new LvsNodeStateStatus(1L, List.of(ready), "t", List.of(), List.of(report)));
      return n;
    });
    try (NodeStateWatcher w = new NodeStateWatcher(api.agentApi(), "trim-a", slices -> {})) {
      w.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> w.latest("trim-a").isPresent());

      LvsNodeStateStatus cached = w.latest("trim-a").orElseThrow().getStatus();
      assertThat(cached.services()).isNull();
      assertThat(cached.owners()).isNull();
      assertThat(cached.observedGeneration()).isEqualTo(1L);
      assertThat(cached.conditions()).singleElement()
          .satisfies(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-12-03T23:00:00Z"));
      assertThat(w.slices()).singleElement().satisfies(s -> assertThat(s.getSpec().services()).hasSize(1));
      assertThat(get("trim-a").getStatus().services()).hasSize(1); // the object itself keeps its status
    } finally {
      api.admin.resources(LvsNodeState.class).withName("trim-a").delete();
    }
  }

  @Test
  void aQuietWatchOutlivesTheRequestTimeoutAndStillDeliversTheNextChange() throws Exception {
    create(api.admin, "quiet-a", spec("quiet-a", "198.18.1.51", "198.18.1.61"));
    List<List<LvsNodeState>> deliveries = new CopyOnWriteArrayList<>();
    // a request timeout far below the quiet time: it bounds a request until its answer begins, not
    // a watch's stream (a watch that failed with it would show as not watching while backing off)
    ApiClient client = ApiClient.of(api.admin.getConfiguration(),
        new ApiClient.Settings(Duration.ofSeconds(1), 0, Duration.ZERO));
    try (client; NodeStateWatcher w = new NodeStateWatcher(client, "quiet-a", deliveries::add)) {
      w.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> w.isWatching() && deliveries.size() == 1);
      long quietUntil = System.nanoTime() + Duration.ofSeconds(4).toNanos();
      while (System.nanoTime() < quietUntil) {
        assertThat(w.isWatching()).as("watching through the quiet time").isTrue();
        Thread.sleep(50);
      }
      setSpec(api.admin, "quiet-a", spec("quiet-a", "198.18.1.51", "198.18.1.61", "198.18.1.62"));
      await().atMost(Duration.ofSeconds(5)).until(() -> deliveries.size() == 2);
      assertThat(deliveries.get(1)).singleElement()
          .satisfies(s -> assertThat(s.getSpec().services().get(0).destinations()).hasSize(2));
    } finally {
      api.admin.resources(LvsNodeState.class).withName("quiet-a").delete();
    }
  }

  @Test
  void theWatcherSeesOnlyItsOwnNodesSlicesAndNotTheirStatus() {
    create(api.admin, "watch-a", spec("watch-a", "198.18.1.1", "198.18.1.11"));
    create(api.admin, "watch-b", spec("watch-b", "198.18.1.2", "198.18.1.12"));
    // carries watch-a's label but belongs to another node (as a hashed label value could): ignored
    create(api.admin, "watch-z", "watch-a", spec("watch-z", "198.18.1.9", "198.18.1.19"));
    List<String> seen = new CopyOnWriteArrayList<>();
    try (NodeStateWatcher w = new NodeStateWatcher(api.agentApi(), "watch-a", slices -> seen.add(slices.isEmpty() ? "none"
        : String.join(",", slices.stream().map(n -> n.getMetadata().getName() + "@" + n.getSpec().services().get(0).vip())
            .toList())))) {
      w.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("watch-a@198.18.1.1"));
      api.admin.resources(LvsNodeState.class).withName("watch-a").editStatus(n -> {
        n.setStatus(new LvsNodeStateStatus(1L, List.of(), "t", List.of(), List.of()));
        return n;
      });
      setSpec(api.admin, "watch-b", spec("watch-b", "198.18.1.3", "198.18.1.12"));
      setSpec(api.admin, "watch-a", spec("watch-a", "198.18.1.4", "198.18.1.11"));
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("watch-a@198.18.1.4"));
      create(api.admin, "watch-a.1", spec("watch-a", "198.18.1.5", "198.18.1.11"));
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("watch-a@198.18.1.4,watch-a.1@198.18.1.5"));
      assertThat(w.latest("watch-a.1")).isPresent();
      assertThat(w.latest("watch-z")).isEmpty();
      api.admin.resources(LvsNodeState.class).withName("watch-b").delete();
      api.admin.resources(LvsNodeState.class).withName("watch-z").delete();
      // later events on our own objects prove everything before them was delivered
      api.admin.resources(LvsNodeState.class).withName("watch-a").delete();
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("watch-a.1@198.18.1.5"));
      api.admin.resources(LvsNodeState.class).withName("watch-a.1").delete();
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("none"));

      assertThat(seen).containsExactly("watch-a@198.18.1.1", "watch-a@198.18.1.4",
          "watch-a@198.18.1.4,watch-a.1@198.18.1.5", "watch-a.1@198.18.1.5", "none");
      assertThat(w.slices()).isEmpty();
    }
  }

  @Test
  void statusGoesToTheStatusSubresourceWithOptimisticLockingAndA409IsRetried() {
    LvsNodeState stale = create(api.admin, "status-a", spec("status-a", "198.18.2.1", "198.18.2.11"));
    // someone else changes the object after our copy was taken: our resourceVersion is now stale
    setSpec(api.admin, "status-a", spec("status-a", "198.18.2.2", "198.18.2.11"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
    try {
      StatusWriter writer = new StatusWriter(api.agentApi(), "status-a", name -> Optional.of(stale), exec,
          new AgentMetrics(registry), Duration.ofMinutes(1), Clock.systemUTC());
      LvsNodeStateStatus status = new LvsNodeStateStatus(2L, List.of(), "2026-11-25T10:00:00Z", List.of(), List.of());

      assertThat(writer.write("status-a", status)).contains(stale.getMetadata().getUid());

      assertThat(registry.get("lvs.agent.status.writes").tag("result", "conflict").counter().count()).isEqualTo(1.0);
      assertThat(registry.get("lvs.agent.status.writes").tag("result", "ok").counter().count()).isEqualTo(1.0);
      LvsNodeState now = get("status-a");
      assertThat(now.getStatus().observedGeneration()).isEqualTo(2L);
      // the stale spec we carried was not written back: only status changes through /status
      assertThat(now.getSpec().services().get(0).vip()).isEqualTo("198.18.2.2");

      // a plain PUT with a stale resourceVersion is refused by the server itself: this is what the retry handles
      LvsNodeState update = new LvsNodeState();
      update.setMetadata(new ObjectMetaBuilder().withName("status-a")
          .withResourceVersion(stale.getMetadata().getResourceVersion()).build());
      update.setStatus(status);
      assertThatThrownBy(() -> api.admin.resources(LvsNodeState.class).resource(update).updateStatus())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void onlySignificantChangesAreWrittenBeforeTheHeartbeat() {
    create(api.admin, "heartbeat-a", spec("heartbeat-a", "198.18.7.1", "198.18.7.11"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
    java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-11-25T10:00:00Z"));
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public java.time.Instant instant() {
        return now.get();
      }
    };
    try {
      StatusWriter writer = new StatusWriter(api.agentApi(), "heartbeat-a", name -> Optional.empty(), exec,
          new AgentMetrics(registry), Duration.ofSeconds(60), clock);
      io.lvs.api.v1alpha1.ServiceReport busy = new io.lvs.api.v1alpha1.ServiceReport("ns/web", "TCP 198.18.7.1:80", true,
          null, List.of(), 10L, 1L, 1L, 1L, 1L);
      io.lvs.api.v1alpha1.ServiceReport busier = new io.lvs.api.v1alpha1.ServiceReport("ns/web", "TCP 198.18.7.1:80", true,
          null, List.of(), 99L, 9L, 9L, 9L, 9L);
      assertThat(writer.writeIfNeeded("heartbeat-a", new LvsNodeStateStatus(1L, List.of(), "t1", List.of(), List.of(busy)))).isTrue();
      now.set(now.get().plusSeconds(10));
      // only the sync time and counters moved: not worth a write yet
      assertThat(writer.writeIfNeeded("heartbeat-a", new LvsNodeStateStatus(1L, List.of(), "t2", List.of(), List.of(busier)))).isFalse();
      // a new generation is
      assertThat(writer.writeIfNeeded("heartbeat-a", new LvsNodeStateStatus(2L, List.of(), "t3", List.of(), List.of(busier)))).isTrue();
      now.set(now.get().plusSeconds(61));
      // and after the heartbeat the counters go out too
      assertThat(writer.writeIfNeeded("heartbeat-a", new LvsNodeStateStatus(2L, List.of(), "t4", List.of(), List.of(busy)))).isTrue();
      assertThat(registry.get("lvs.agent.status.writes").tag("result", "ok").counter().count()).isEqualTo(3.0);
      assertThat(get("heartbeat-a").getStatus().lastSyncTime()).isEqualTo("t4");
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void theAgentAppliesItsNodeStateWritesStatusAndServesHealthAndMetrics(@TempDir Path stateDir) throws Exception {
    create(api.admin, "agent-a", spec("agent-a", "198.18.3.1", "198.18.3.11", "198.18.3.12"));
    InMemoryKernel kernel = new InMemoryKernel();
    int port = freePort();
    AgentConfig config = new AgentConfig("agent-a", stateDir, Duration.ofSeconds(1), port, Duration.ofSeconds(30));
    try (Agent agent = new Agent(config, api.agentApi(), new KernelClients(kernel, kernel, kernel), OwnershipStore.inMemory(),
        SnatProgrammer.NONE, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
      agent.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> kernel.destinations(web("198.18.3.1")).size() == 2);
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        LvsNodeStateStatus s = get("agent-a").getStatus();
        return s != null && s.owners() != null && s.owners().size() == 1 && s.owners().get(0).programmed();
      });
      LvsNodeStateStatus s = get("agent-a").getStatus();
      assertThat(s.observedGeneration()).isEqualTo(get("agent-a").getMetadata().getGeneration());
      assertThat(s.services()).singleElement().satisfies(r -> {
        assertThat(r.service()).isEqualTo("TCP 198.18.3.1:80");
        // the counters of the sync's own read: none in the one that created the service (the fake
        // counts 3 at once), the kernel's from the next resync on (counter-only status changes
        // are written once a minute)
        assertThat(r.connections()).isIn(0L, 3L);
        assertThat(r.destinations()).hasSize(2);
      });
      assertThat(s.conditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Programmed");
        assertThat(c.getStatus()).isEqualTo("True");
      });

      HttpClient http = HttpClient.newHttpClient();
      await().atMost(Duration.ofSeconds(10)).until(() -> http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
      assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok\n");
      java.util.concurrent.atomic.AtomicReference<String> scraped = new java.util.concurrent.atomic.AtomicReference<>();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        scraped.set(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        return scraped.get().contains("lvs_ipvs_service_connections{owner=\"ns/web\",service=\"TCP 198.18.3.1:80\"} 3.0");
      });
      assertThat(scraped.get())
          .contains("lvs_ipvs_service_connections{owner=\"ns/web\",service=\"TCP 198.18.3.1:80\"} 3.0")
          .contains("lvs_ipvs_destination_in_bytes{destination=\"198.18.3.12:80\",owner=\"ns/web\",service=\"TCP 198.18.3.1:80\"} 1000.0")
          .contains("lvs_ipvs_service_connections_per_second{owner=\"ns/web\",service=\"TCP 198.18.3.1:80\"} 0.0")
          .contains("lvs_ipvs_destination_in_bytes_per_second{destination=\"198.18.3.12:80\",owner=\"ns/web\",service=\"TCP 198.18.3.1:80\"} 0.0")
          .contains("lvs_agent_sync_seconds_count{result=\"ok\"}")
          .contains("lvs_agent_status_writes_total{result=\"ok\"}");
      // the read-only ipvsadm view of this agent's services
      assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ipvs/services")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).contains("TCP  198.18.3.1:80 ").contains("  -> 198.18.3.12:80 ");
      assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ipvs/services?view=x")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);

      // a spec change reaches the kernel and the status follows the generation
      setSpec(api.admin, "agent-a", spec("agent-a", "198.18.3.1", "198.18.3.12"));
      await().atMost(Duration.ofSeconds(20)).until(() -> kernel.destinations(web("198.18.3.1")).keySet()
          .equals(java.util.Set.of(new DestinationKey(IpLiterals.parse("198.18.3.12"), 80))));
      await().atMost(Duration.ofSeconds(20)).until(() -> get("agent-a").getStatus().observedGeneration()
          .equals(get("agent-a").getMetadata().getGeneration()));
    }
  }

  @Test
  void aMissingSliceIsNotAnErrorAndARecreatedOneIsWrittenAgain() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
    try {
      StatusWriter writer = new StatusWriter(api.agentApi(), "recreate-a", name -> Optional.ofNullable(get(name)), exec,
          new AgentMetrics(registry), Duration.ofMinutes(1), Clock.systemUTC());
      LvsNodeStateStatus status = new LvsNodeStateStatus(1L, List.of(), "t1", List.of(), List.of());
      assertThat(writer.write("recreate-a.7", status)).isEmpty();
      assertThat(registry.get("lvs.agent.status.writes").tag("result", "missing").counter().count()).isEqualTo(1.0);

      create(api.admin, "recreate-a", spec("recreate-a", "198.18.9.1", "198.18.9.11"));
      assertThat(writer.writeIfNeeded("recreate-a", status)).isTrue();
      assertThat(writer.writeIfNeeded("recreate-a", status)).isFalse();
      api.admin.resources(LvsNodeState.class).withName("recreate-a").withTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
          .delete();
      create(api.admin, "recreate-a", spec("recreate-a", "198.18.9.1", "198.18.9.11"));
      // the same status, but to a new object that has none yet
      assertThat(writer.writeIfNeeded("recreate-a", status)).isTrue();
      assertThat(get("recreate-a").getStatus().observedGeneration()).isEqualTo(1L);
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void theAgentAppliesTheUnionOfItsSlicesWritesEachItsStatusAndIgnoresOtherNodes(@TempDir Path stateDir)
      throws Exception {
    create(api.admin, "slices-a", ownedSpec("slices-a", "ns/web", "198.18.8.1", "198.18.8.11", "198.18.8.12"));
    create(api.admin, "slices-a.1", ownedSpec("slices-a", "ns/api", "198.18.8.2", "198.18.8.21"));
    setSpec(api.admin, "slices-a.1", ownedSpec("slices-a", "ns/api", "198.18.8.2", "198.18.8.22")); // generation 2
    create(api.admin, "slices-b", ownedSpec("slices-b", "ns/other", "198.18.8.3", "198.18.8.31"));
    InMemoryKernel kernel = new InMemoryKernel();
    AgentConfig config = new AgentConfig("slices-a", stateDir, Duration.ofSeconds(1), 0, Duration.ofSeconds(30));
    try (Agent agent = new Agent(config, api.agentApi(), new KernelClients(kernel, kernel, kernel), OwnershipStore.inMemory(),
        SnatProgrammer.NONE, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
      agent.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> kernel.services().keySet()
          .equals(java.util.Set.of(web("198.18.8.1"), web("198.18.8.2"))));
      assertThat(kernel.destinations(web("198.18.8.2")))
          .containsOnlyKeys(new DestinationKey(IpLiterals.parse("198.18.8.22"), 80));
      await().atMost(Duration.ofSeconds(20)).until(() -> programmed("slices-a", 1L) && programmed("slices-a.1", 2L));

      LvsNodeStateStatus a = get("slices-a").getStatus();
      assertThat(a.owners()).extracting(r -> r.owner()).containsExactly("ns/web");
      assertThat(a.services()).extracting(r -> r.service()).containsExactly("TCP 198.18.8.1:80");
      LvsNodeStateStatus b = get("slices-a.1").getStatus();
      assertThat(b.owners()).extracting(r -> r.owner()).containsExactly("ns/api");
      assertThat(b.services()).extracting(r -> r.service()).containsExactly("TCP 198.18.8.2:80");
      assertThat(b.conditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Ready");
        assertThat(c.getObservedGeneration()).isEqualTo(2L);
      });
      assertThat(get("slices-b").getStatus()).isNull(); // another node's slice: not ours to read or write
      assertThat(agent.readyProblem()).isEmpty();

      // a slice deleted: exactly its entries leave the kernel, the other slice stays programmed
      api.admin.resources(LvsNodeState.class).withName("slices-a.1").delete();
      await().atMost(Duration.ofSeconds(20)).until(() -> kernel.services().keySet()
          .equals(java.util.Set.of(web("198.18.8.1"))));
      assertThat(kernel.destinations(web("198.18.8.1"))).hasSize(2);
      assertThat(programmed("slices-a", 1L)).isTrue();

      // the other slices go too: nothing of this agent's is left
      api.admin.resources(LvsNodeState.class).withName("slices-a").delete();
      await().atMost(Duration.ofSeconds(20)).until(() -> kernel.services().isEmpty());
      assertThat(get("slices-b").getStatus()).isNull();
    }
  }

  /** The slice's status reports this generation and every owner in it programmed. */
  static boolean programmed(String slice, long generation) {
    LvsNodeState n = get(slice);
    LvsNodeStateStatus s = n == null ? null : n.getStatus();
    return s != null && Long.valueOf(generation).equals(s.observedGeneration())
        && Long.valueOf(generation).equals(n.getMetadata().getGeneration())
        && s.owners() != null && !s.owners().isEmpty() && s.owners().stream().allMatch(r -> r.programmed())
        && s.conditions().stream().anyMatch(c -> c.getType().equals("Programmed") && c.getStatus().equals("True"));
  }

  @Test
  void whenTheApiServerIsAwayTheAgentKeepsRepairingAndReconnectsAfterwards(@TempDir Path stateDir) throws Exception {
    create(api.admin, "outage-a", spec("outage-a", "198.18.4.1", "198.18.4.11"));
    InMemoryKernel kernel = new InMemoryKernel();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (TcpProxy proxy = new TcpProxy(api.port)) {
      int proxyPort = proxy.start();
      try (ApiClient viaProxy = api.agentApiVia(proxyPort);
          Agent agent = new Agent(new AgentConfig("outage-a", stateDir, Duration.ofMillis(500), 0, Duration.ofSeconds(30)),
              viaProxy, new KernelClients(kernel, kernel, kernel), OwnershipStore.inMemory(), SnatProgrammer.NONE,
              registry, Clock.systemUTC())) {
        agent.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> kernel.destinations(web("198.18.4.1")).size() == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.watcher().isWatching());

        proxy.stop(); // watch broken, API server unreachable
        await().atMost(Duration.ofSeconds(10)).until(() -> !agent.watcher().isWatching());
        // drift while the API server is away is still repaired from the last spec
        kernel.removeByHand(web("198.18.4.1"), new DestinationKey(IpLiterals.parse("198.18.4.11"), 80));
        await().atMost(Duration.ofSeconds(10)).until(() -> kernel.destinations(web("198.18.4.1")).size() == 1);
        // meanwhile the operator changes the spec; the agent cannot see it yet
        setSpec(api.admin, "outage-a", spec("outage-a", "198.18.4.2", "198.18.4.11"));
        long syncs = syncs(registry);
        await().atMost(Duration.ofSeconds(10)).until(() -> syncs(registry) >= syncs + 2); // two resyncs ran since
        assertThat(kernel.services()).containsOnlyKeys(web("198.18.4.1"));

        proxy.start(); // back: the informer re-lists and re-watches with its backoff
        await().atMost(Duration.ofSeconds(60)).until(() -> kernel.services().keySet().equals(java.util.Set.of(web("198.18.4.2"))));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          LvsNodeState n = get("outage-a");
          return n.getStatus() != null && n.getStatus().observedGeneration().equals(n.getMetadata().getGeneration());
        });
        assertThat(agent.watcher().isWatching()).isTrue();
      }
    }
  }

  /** Syncs the agent has run (its lvs.agent.sync timer, ok and failed): proof that resyncs happened. */
  private static long syncs(io.micrometer.core.instrument.MeterRegistry registry) {
    return registry.find("lvs.agent.sync").timers().stream().mapToLong(io.micrometer.core.instrument.Timer::count).sum();
  }

  @Test
  void aRestartedAgentResumesFromItsLastSpecWhileTheApiServerIsUnreachable(@TempDir Path stateDir) throws Exception {
    create(api.admin, "resume-a", spec("resume-a", "198.18.5.1", "198.18.5.11"));
    InMemoryKernel kernel = new InMemoryKernel();
    OwnershipStore owned = OwnershipStore.inMemory();
    AgentConfig config = new AgentConfig("resume-a", stateDir, Duration.ofMillis(500), 0, Duration.ofSeconds(30));
    try (Agent first = new Agent(config, api.agentApi(), new KernelClients(kernel, kernel, kernel), owned, SnatProgrammer.NONE,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
      first.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> kernel.destinations(web("198.18.5.1")).size() == 1);
    }
    int mutations = kernel.mutations.get();
    // restart with no API server at all (a port nobody listens on)
    try (ApiClient nowhere = api.agentApiVia(freePort());
        Agent second = new Agent(config, nowhere, new KernelClients(kernel, kernel, kernel), owned, SnatProgrammer.NONE,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC())) {
      second.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> second.loop().lastOutcome().isPresent());
      assertThat(kernel.mutations.get()).isEqualTo(mutations); // nothing flushed, nothing re-added
      kernel.removeByHand(web("198.18.5.1"), new DestinationKey(IpLiterals.parse("198.18.5.11"), 80));
      await().atMost(Duration.ofSeconds(10)).until(() -> kernel.destinations(web("198.18.5.1")).size() == 1);
      assertThat(second.readyProblem()).contains("node state of resume-a not listed yet");
    }
  }

}
