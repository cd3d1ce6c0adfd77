package io.lvs.agent.runtime;

import static io.lvs.agent.runtime.NodeStateTranslatorTest.dest;
import static io.lvs.agent.runtime.NodeStateTranslatorTest.dr;
import static io.lvs.agent.runtime.NodeStateTranslatorTest.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lvs.agent.apply.Applier;
import io.lvs.agent.apply.ConnectionDrainer;
import io.lvs.agent.diff.Differ;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.ownership.OwnershipStore;
import io.lvs.agent.runtime.health.HealthChecker;
import io.lvs.api.v1alpha1.HealthCheck;
import io.lvs.api.v1alpha1.HealthCheckType;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.Protocol;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.lvs.agent.ipvs.IpvsTimeouts;
import io.lvs.api.v1alpha1.NodeTimeouts;
import io.lvs.api.v1alpha1.TimeoutsReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncLoopTest {
  final InMemoryKernel kernel = new InMemoryKernel();
  final OwnershipStore store = OwnershipStore.inMemory();
  final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
  final List<Map<String, LvsNodeStateStatus>> published = new CopyOnWriteArrayList<>();
  final List<Map<String, SliceStatus>> unbuilt = new CopyOnWriteArrayList<>(); // as published: reports not yet built
  final Set<String> failing = ConcurrentHashMap.newKeySet();
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final AgentMetrics metrics = new AgentMetrics(registry);
  SyncLoop loop;

  final ServiceKey web = ServiceKey.of(IpProtocol.TCP, ip("198.18.0.100"), 80);
  final DestinationKey rs1 = new DestinationKey(ip("198.18.0.11"), 80);
  final DestinationKey rs2 = new DestinationKey(ip("198.18.0.12"), 80);

  SyncLoop loop(Duration resync) {
    HealthChecker health = new HealthChecker(executor, t -> {
      if (failing.contains(t.address().getHostAddress())) {
        throw new java.io.IOException("connect " + t.address().getHostAddress() + ": refused");
      }
    }, () -> loop.trigger());
    loop = new SyncLoop(new Applier(kernel, kernel, kernel, store, new Differ(new ConnectionDrainer(Clock.systemUTC()))),
        kernel, kernel, health, SnatProgrammer.NONE, s -> {
          unbuilt.add(s);
          published.add(SliceStatus.buildAll(s));
        }, metrics, Clock.systemUTC(), executor, resync);
    return loop;
  }

  static LvsNodeStateSpec webSpec(HealthCheck hc) {
    return new LvsNodeStateSpec("n1",
        List.of(new NodeIpvsService("ns/web", "198.18.0.100", 80, Protocol.TCP, null, null, "rr", null, null, null,
            List.of(dest("198.18.0.11", 1), dest("198.18.0.12", 2)), hc)),
        List.of(new NodeAddress("ns/web", "198.18.0.100", 32, "lo", null)), null,
        List.of(new NodeSysctl("ns/web", "net.ipv4.conf.lo.arp_ignore", "1")), null);
  }

  static void onSpec(SyncLoop loop, long generation, LvsNodeStateSpec spec) {
    loop.onSlices(List.of(new NodeSlice("n1", generation, spec)), Map.of());
  }

  LvsNodeStateStatus last() {
    return published.get(published.size() - 1).get("n1");
  }

  @AfterEach
  void stop() {
    if (loop != null) {
      loop.close();
    }
    executor.shutdownNow();
  }

  @Test
  void withoutASpecNothingIsAppliedAndForeignStateSurvives() {
    IpvsService foreign = new IpvsService(ServiceKey.of(IpProtocol.TCP, ip("10.96.0.1"), 443), "rr", 0, 0, 32);
    kernel.putByHand(foreign);
    loop(Duration.ofMinutes(1));

    assertThat(loop.syncNow()).isEmpty();
    assertThat(kernel.mutations.get()).isZero();
    assertThat(published).isEmpty();

    loop.onSlices(List.of(), Map.of()); // an empty target removes only what this agent owns: nothing yet
    loop.syncNow();
    assertThat(kernel.services()).containsKey(foreign.key());
    assertThat(kernel.mutations.get()).isZero();
  }

  @Test
  void theNodesTimeoutsAreSetAndReportedOnItsFirstSliceThenRestoredWhenTheyGo() {
    loop(Duration.ofMinutes(1)).onSlices(List.of(new NodeSlice("n1.1", 2, webSpec(null)),
        new NodeSlice("n1", 5, new LvsNodeStateSpec("n1", null, null, null, null, null, null,
            new NodeTimeouts("dirs", 600, null, null)))), Map.of());
    loop.syncNow();

    assertThat(kernel.timeouts()).isEqualTo(new IpvsTimeouts(600, 120, 300));
    Map<String, LvsNodeStateStatus> statuses = published.get(published.size() - 1);
    assertThat(statuses.get("n1").timeouts()).isEqualTo(new TimeoutsReport("dirs", true, 600, 120, 300, null));
    assertThat(statuses.get("n1").observedGeneration()).isEqualTo(5);
    assertThat(statuses.get("n1.1").timeouts()).isNull();
    assertThat(store.load().timeouts().tcpOriginal()).isEqualTo(900);

    loop.onSlices(List.of(new NodeSlice("n1", 6, new LvsNodeStateSpec("n1", null, null, null, null, null))), Map.of());
    loop.syncNow();
    assertThat(kernel.timeouts()).isEqualTo(new IpvsTimeouts(900, 120, 300));
    assertThat(store.load().timeouts().isEmpty()).isTrue();
  }

  @Test
  void aStatusBuiltAfterLaterSyncsReportsTheSyncThatPublishedIt() {
    onSpec(loop(Duration.ofMinutes(1)), 1, webSpec(null));
    loop.syncNow();
    int at = unbuilt.size() - 1; // the sink adds to both lists, one sync at a time
    SliceStatus first = unbuilt.get(at).get("n1");
    LvsNodeStateSpec heavier = webSpec(null);
    NodeIpvsService s = heavier.services().get(0);
    onSpec(loop, 2, new LvsNodeStateSpec("n1", List.of(new NodeIpvsService(s.owner(), s.vip(), s.port(), s.protocol(),
        null, null, "rr", null, null, null, List.of(dest("198.18.0.11", 7), dest("198.18.0.12", 8)), null)),
        heavier.addresses(), null, heavier.sysctls(), null));
    loop.syncNow();
    assertThat(kernel.destinations(web).get(rs1).weight()).isEqualTo(7);

    // the writer builds a slice's reports when it writes it, maybe after later syncs: they must not leak in
    LvsNodeStateStatus built = first.build();
    assertThat(built.observedGeneration()).isEqualTo(1);
    assertThat(built.services()).singleElement().satisfies(r -> assertThat(r.destinations())
        .extracting(d -> d.address() + ":" + d.weight()).containsExactly("198.18.0.11:1", "198.18.0.12:2"));
    assertThat(built).isEqualTo(published.get(at).get("n1")); // as built when it was published
    assertThat(last().services()).singleElement().satisfies(r -> assertThat(r.destinations())
        .extracting(d -> d.address() + ":" + d.weight()).containsExactly("198.18.0.11:7", "198.18.0.12:8"));
  }

  @Test
  void appliesTheSpecAndPublishesProgrammedStatus() {
    onSpec(loop(Duration.ofMinutes(1)), 3, webSpec(null));
    SyncOutcome o = loop.syncNow().orElseThrow();

    assertThat(o.failure()).isNull();
    assertThat(kernel.destinations(web)).containsOnlyKeys(rs1, rs2);
    assertThat(kernel.addressSet()).contains(new InterfaceAddress("lo", ip("198.18.0.100"), 32));
    assertThat(kernel.sysctl("net.ipv4.conf.lo.arp_ignore")).isEqualTo("1");
    LvsNodeStateStatus s = last();
    assertThat(s.observedGeneration()).isEqualTo(3);
    assertThat(s.owners()).singleElement().satisfies(r -> assertThat(r.programmed()).isTrue());
    // counters are those of a sync's own read of the table: the one that created the service saw
    // none (the fake counts 3 at once), the next full sync reads the kernel's
    loop.syncNow();
    s = last();
    assertThat(s.services()).singleElement().satisfies(r -> assertThat(r.connections()).isEqualTo(3));
    assertThat(metrics.scrape())
        .contains("lvs_ipvs_service_connections{owner=\"ns/web\",service=\"TCP 198.18.0.100:80\"} 3.0")
        .contains("lvs_ipvs_destination_in_bytes{destination=\"198.18.0.12:80\",owner=\"ns/web\",service=\"TCP 198.18.0.100:80\"} 1000.0");
  }

  @Test
  void interfaceOfIsResolvedFromTheKernelsAddressesAndAMissingHolderFailsOnlyItsOwner() {
    InterfaceAddress nodeIp = new InterfaceAddress("eth0", ip("192.168.1.5"), 24);
    kernel.putAddressByHand(nodeIp);
    LvsNodeStateSpec spec = new LvsNodeStateSpec("n1", webSpec(null).services(),
        List.of(new NodeAddress("ns/web", "198.18.0.100", 32, null, true, "192.168.1.5"),
            new NodeAddress("ns/lost", "198.18.0.101", 32, null, true, "192.168.1.6")),
        null, null, null);
    onSpec(loop(Duration.ofMinutes(1)), 1, spec);
    SyncOutcome o = loop.syncNow().orElseThrow();

    assertThat(o.failure()).isNull();
    assertThat(kernel.addressSet()).containsExactlyInAnyOrder(nodeIp, new InterfaceAddress("eth0", ip("198.18.0.100"), 32));
    assertThat(kernel.destinations(web)).containsOnlyKeys(rs1, rs2);
    assertThat(last().owners()).satisfiesExactlyInAnyOrder(
        r -> {
          assertThat(r.owner()).isEqualTo("ns/lost");
          assertThat(r.programmed()).isFalse();
          assertThat(r.errors()).containsExactly("spec.addresses[1].interfaceOf: no interface holds 192.168.1.6");
        },
        r -> {
          assertThat(r.owner()).isEqualTo("ns/web");
          assertThat(r.programmed()).isTrue();
        });

    // the node IP moves to another interface (a bridge took it over): the VIP follows on the next sync
    kernel.putAddressByHand(new InterfaceAddress("br0", ip("192.168.1.5"), 24));
    kernel.deleteAddress(nodeIp);
    loop.syncNow();
    assertThat(kernel.addressSet()).contains(new InterfaceAddress("br0", ip("198.18.0.100"), 32))
        .doesNotContain(new InterfaceAddress("eth0", ip("198.18.0.100"), 32));

    // nothing wanted any more: only the VIP goes, never the node IP it was placed by
    loop.onSlices(List.of(), Map.of());
    loop.syncNow();
    assertThat(kernel.addressSet()).containsExactly(new InterfaceAddress("br0", ip("192.168.1.5"), 24));
  }

  @Test
  void aRestartedAgentChangesNothingWhenTheKernelAlreadyMatches() {
    onSpec(loop(Duration.ofMinutes(1)), 1, webSpec(null));
    loop.syncNow();
    int afterFirst = kernel.mutations.get();
    loop.close();

    // a new loop over the same kernel and owned set: what a restarted agent process has
    onSpec(loop(Duration.ofMinutes(1)), 1, webSpec(null));
    SyncOutcome o = loop.syncNow().orElseThrow();

    assertThat(o.report().plan().isEmpty()).isTrue();
    assertThat(kernel.mutations.get()).isEqualTo(afterFirst);
    assertThat(o.report().fullySucceeded()).isTrue();
  }

  @Test
  void aSpecChangeBetweenResyncsIsAppliedWithoutReadingTheTableAndTheResyncReadsItOnce() {
    onSpec(loop(Duration.ofHours(1)), 1, webSpec(null));
    loop.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);
    assertThat(kernel.dumps.get()).isEqualTo(1); // the first sync reads the table, once (status included)

    LvsNodeStateSpec heavier = webSpec(null);
    NodeIpvsService s = heavier.services().get(0);
    heavier = new LvsNodeStateSpec("n1", List.of(new NodeIpvsService(s.owner(), s.vip(), s.port(), s.protocol(),
        null, null, "rr", null, null, null, List.of(dest("198.18.0.11", 1), dest("198.18.0.12", 5)), null)),
        heavier.addresses(), null, heavier.sysctls(), null);
    onSpec(loop, 2, heavier);
    await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
    assertThat(kernel.destinations(web).get(rs2).weight()).isEqualTo(5);
    assertThat(last().observedGeneration()).isEqualTo(2);
    assertThat(kernel.dumps.get()).isEqualTo(1);

    loop.triggerResync();
    await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 3);
    assertThat(kernel.dumps.get()).isEqualTo(2);
  }

  @Test
  void theResyncTimerRepairsDriftWithoutAnyEvent() {
    onSpec(loop(Duration.ofMillis(200)), 1, webSpec(null));
    loop.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> kernel.destinations(web).size() == 2);

    kernel.removeByHand(web, rs1);
    kernel.setByHand(web, Destination.of(rs2, ForwardMethod.DROUTE, 9));

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(kernel.destinations(web).get(rs1)).isEqualTo(Destination.of(rs1, ForwardMethod.DROUTE, 1));
      assertThat(kernel.destinations(web).get(rs2).weight()).isEqualTo(2);
    });
  }

  @Test
  void aBrokenKernelIsReportedAndTheLastSpecIsRetriedUntilItWorks() {
    kernel.broken.set("EPERM (errno 1)"); // before the spec: onSlices already queues a first sync
    onSpec(loop(Duration.ofMillis(200)), 4, webSpec(null));
    loop.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> !published.isEmpty());
    LvsNodeStateStatus s = published.get(0).get("n1");
    assertThat(s.conditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getMessage()).contains("EPERM");
    });
    assertThat(kernel.services()).isEmpty();

    kernel.broken.set(null);
    await().atMost(Duration.ofSeconds(5)).until(() -> kernel.destinations(web).size() == 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> last().conditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
    // the broken kernel fails whichever call comes first (the dump, or an add if the dump just passed)
    assertThat(registry.get("lvs.agent.netlink.errors").counters()).isNotEmpty()
        .allSatisfy(c -> assertThat(c.getId().getTag("operation")).isNotBlank())
        .anySatisfy(c -> assertThat(c.count()).isGreaterThan(0));
  }

  @Test
  void aFailingMemberGoesToWeightZeroAndComesBack() {
    HealthCheck hc = new HealthCheck(HealthCheckType.TCP, null, null, null, 1, 1, 2, 2);
    onSpec(loop(Duration.ofMinutes(1)), 1, webSpec(hc));
    await().atMost(Duration.ofSeconds(5)).until(() -> kernel.destinations(web).size() == 2);

    failing.add("198.18.0.12");
    await().atMost(Duration.ofSeconds(5)).until(() -> kernel.destinations(web).get(rs2).weight() == 0);
    assertThat(kernel.destinations(web).get(rs1).weight()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(2)).until(() -> last().conditions().stream()
        .anyMatch(c -> c.getType().equals("Degraded") && "MembersUnhealthy".equals(c.getReason())));

    failing.clear();
    await().atMost(Duration.ofSeconds(5)).until(() -> kernel.destinations(web).get(rs2).weight() == 2);
  }

  @Test
  void aDeletedNodeObjectRemovesExactlyWhatTheAgentAdded() {
    IpvsService foreign = new IpvsService(ServiceKey.of(IpProtocol.TCP, ip("10.96.0.1"), 443), "rr", 0, 0, 32);
    kernel.putByHand(foreign);
    onSpec(loop(Duration.ofMinutes(1)), 1, webSpec(null));
    loop.syncNow();
    assertThat(kernel.services()).containsKeys(web, foreign.key());

    loop.onSlices(List.of(), Map.of());
    loop.syncNow();
    assertThat(kernel.services()).containsOnlyKeys(foreign.key());
    assertThat(kernel.addressSet()).isEmpty();
    assertThat(kernel.sysctl("net.ipv4.conf.lo.arp_ignore")).isEqualTo("0");
  }

  @Test
  void twoSlicesAreAppliedAsTheirUnionWithAStatusEachAndADeletedSliceTakesOnlyItsEntries() {
    ServiceKey api = ServiceKey.of(IpProtocol.TCP, ip("198.18.0.101"), 443);
    NodeSlice a = new NodeSlice("n1", 3, webSpec(null));
    NodeSlice b = new NodeSlice("n1.1", 8, new LvsNodeStateSpec("n1",
        List.of(new NodeIpvsService("ns/api", "198.18.0.101", 443, Protocol.TCP, null, null, "rr", null, null, null,
            List.of(dest("198.18.0.13", 1)), null)),
        List.of(new NodeAddress("ns/api", "198.18.0.101", 32, "lo", null)), null,
        // the same sysctl as ns/web in the other slice: one object with two owners
        List.of(new NodeSysctl("ns/api", "net.ipv4.conf.lo.arp_ignore", "1")), null));
    loop(Duration.ofMinutes(1)).onSlices(List.of(b, a), Map.of());
    SyncOutcome o = loop.syncNow().orElseThrow();

    assertThat(o.report().fullySucceeded()).isTrue();
    assertThat(kernel.services()).containsOnlyKeys(web, api);
    Map<String, LvsNodeStateStatus> statuses = published.get(published.size() - 1);
    assertThat(statuses).containsOnlyKeys("n1", "n1.1");
    assertThat(statuses.get("n1").observedGeneration()).isEqualTo(3);
    assertThat(statuses.get("n1").owners()).extracting(r -> r.owner()).containsExactly("ns/web");
    assertThat(statuses.get("n1.1").observedGeneration()).isEqualTo(8);
    assertThat(statuses.get("n1.1").owners()).singleElement().satisfies(r -> {
      assertThat(r.owner()).isEqualTo("ns/api");
      assertThat(r.programmed()).isTrue();
    });

    loop.onSlices(List.of(a), Map.of()); // slice n1.1 deleted
    loop.syncNow();
    assertThat(kernel.services()).containsOnlyKeys(web);
    assertThat(kernel.addressSet()).containsExactly(new InterfaceAddress("lo", ip("198.18.0.100"), 32));
    assertThat(kernel.sysctl("net.ipv4.conf.lo.arp_ignore")).isEqualTo("1"); // still wanted by ns/web
    assertThat(published.get(published.size() - 1)).containsOnlyKeys("n1");
  }

  @Test
  void theLastOutcomeKeepsOnlyTheProblemsOfItsReport() {
    // the loop's own trigger (onSlices asks for a sync) waits behind this task: syncNow programs the table
    ScheduledExecutorService held = Executors.newSingleThreadScheduledExecutor();
    held.execute(() -> {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    loop = new SyncLoop(new Applier(kernel, kernel, kernel, store, new Differ()), kernel, kernel,
        new HealthChecker(executor, t -> {}, () -> {}), SnatProgrammer.NONE, s -> published.add(SliceStatus.buildAll(s)), metrics, Clock.systemUTC(),
        held, Duration.ofMinutes(1));
    onSpec(loop, 3, webSpec(null));
    SyncOutcome o = loop.syncNow().orElseThrow();
    held.shutdownNow();

    assertThat(o.report().results()).hasSizeGreaterThanOrEqualTo(4); // service, 2 destinations, address, sysctl
    SyncOutcome kept = loop.lastOutcome().orElseThrow();
    assertThat(kept.report().results()).isEmpty();
    assertThat(kept.report().plan().operations()).isEmpty();
    assertThat(kept.report().fullySucceeded()).isTrue();
    assertThat(kept.observed()).isEqualTo(o.observed()); // what the /ipvs views read stays
    assertThat(kept.applied()).isSameAs(o.applied());
  }
  @Test
  void theStatusBuildIsCountedInTheSyncsLoggedAndMeasuredTime() {
    ScheduledExecutorService held = Executors.newSingleThreadScheduledExecutor(); // no sync but syncNow's
    held.execute(() -> {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    StatusBuilder slow = new StatusBuilder() {
      @Override
      public Map<String, SliceStatus> statuses(SyncOutcome o, Map<String, List<io.fabric8.kubernetes.api.model.Condition>> previous,
          java.time.Instant now) {
        try {
          Thread.sleep(400);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.statuses(o, previous, now);
      }
    };
    var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(SyncLoop.class);
    var lines = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    lines.start();
    logger.addAppender(lines);
    try {
      loop = new SyncLoop(new Applier(kernel, kernel, kernel, store, new Differ()), kernel, kernel,
          new HealthChecker(executor, t -> {}, () -> {}), SnatProgrammer.NONE, io.lvs.agent.runtime.MarkProgrammer.NONE,
          io.lvs.agent.podnet.PodNamespaces.NONE, s -> published.add(SliceStatus.buildAll(s)), metrics, Clock.systemUTC(), held, Duration.ofMinutes(1),
          slow);
      onSpec(loop, 3, webSpec(null));
      loop.syncNow().orElseThrow();
    } finally {
      logger.detachAppender(lines);
      held.shutdownNow();
    }

    assertThat(registry.get("lvs.agent.sync").tag("result", "ok").timer().max(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isGreaterThanOrEqualTo(400);
    var changed = lines.list.stream().filter(e -> e.getMessage().equals("kernel changed")).findFirst().orElseThrow();
    Map<String, Object> kv = new java.util.HashMap<>();
    changed.getKeyValuePairs().forEach(p -> kv.put(p.key, p.value));
    assertThat((Long) kv.get("tookMs")).isGreaterThanOrEqualTo(400);
    assertThat((Long) kv.get("statusMs")).isGreaterThanOrEqualTo(400).isLessThanOrEqualTo((Long) kv.get("tookMs"));
  }
}
