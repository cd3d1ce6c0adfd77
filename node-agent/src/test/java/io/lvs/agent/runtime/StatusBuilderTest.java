package io.lvs.agent.runtime;

import static io.lvs.agent.runtime.NodeStateTranslatorTest.dest;
import static io.lvs.agent.runtime.NodeStateTranslatorTest.dr;
import static io.lvs.agent.runtime.NodeStateTranslatorTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.lvs.agent.apply.ApplyReport;
import io.lvs.agent.apply.OperationResult;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.diff.Operation;
import io.lvs.agent.diff.Plan;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import io.lvs.agent.ownership.OwnedSet;
import io.lvs.agent.runtime.health.Health;
import io.lvs.agent.runtime.health.MemberKey;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.OwnerReport;
import io.lvs.api.v1alpha1.ServiceReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  final StatusBuilder builder = new StatusBuilder();
  final LvsNodeStateSpec spec = new LvsNodeStateSpec("n1",
      List.of(dr("ns/web", "198.18.0.100", 80, dest("198.18.0.11", 1), dest("198.18.0.12", 1)),
          dr("ns/api", "198.18.0.101", 443, dest("198.18.0.11", 2))),
      null, null, null, null);
  final Translation translation = new NodeStateTranslator().translate(spec);
  final ServiceKey web = ServiceKey.of(io.lvs.agent.model.IpProtocol.TCP, ip("198.18.0.100"), 80);
  final ServiceKey api = ServiceKey.of(io.lvs.agent.model.IpProtocol.TCP, ip("198.18.0.101"), 443);

  /** What the kernel would hold had everything been applied: each wanted service with its counters. */
  List<ObservedService> kernelAsWanted() {
    return translation.desired().services().values().stream().map(this::observed).toList();
  }

  ObservedService observed(DesiredService d) {
    return new ObservedService(d.service(), new Stats(10, 100, 90, 1000, 900, 0, 0, 0, 0, 0),
        d.destinations().values().stream()
            .map(dd -> new ObservedDestination(dd.kernelDestination(), 2, 3, 0, new Stats(5, 50, 45, 500, 450, 0, 0, 0, 0, 0)))
            .toList());
  }

  SyncOutcome outcome(ApplyReport report, List<ObservedService> observed, Map<MemberKey, Health> health) {
    return new SyncOutcome(one(7), translation, translation.desired(), report, null, observed, health, Map.of());
  }

  /** The whole spec as the node's one slice, named after the node. */
  SliceUnion one(long generation) {
    return SliceUnion.of(List.of(new NodeSlice("n1", generation, spec)));
  }

  /** The status of the node's one slice. */
  LvsNodeStateStatus build(SyncOutcome o, List<Condition> previous, Instant now) {
    Map<String, LvsNodeStateStatus> out = builder.build(o, previous == null ? Map.of() : Map.of("n1", previous), now);
    assertThat(out).containsOnlyKeys("n1");
    return out.get("n1");
  }

  static ApplyReport clean() {
    return new ApplyReport(Plan.EMPTY, List.of(), OwnedSet.EMPTY);
  }

  static Condition cond(LvsNodeStateStatus s, String type) {
    return s.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void podNamespacesAreReportedPerOwnerAndOneNotConfiguredMakesItsOwnerUnprogrammed() {
    var ok = new io.lvs.api.v1alpha1.PodNamespaceReport("10.244.1.5", true, "/run/netns/cni-1 (inode 9)", null);
    var missing = new io.lvs.api.v1alpha1.PodNamespaceReport("10.244.1.6", false, null,
        "no network namespace on this node holds 10.244.1.6 (pod not started, or on another node)");
    SyncOutcome o = new SyncOutcome(one(7), translation, translation.desired(), clean(), null, kernelAsWanted(), Map.of(),
        Map.of(), Map.of(), Map.of("ns/web", List.of(ok, missing), "ns/api", List.of(ok)));
    LvsNodeStateStatus s = build(o, null, T0);
    OwnerReport web = s.owners().stream().filter(r -> r.owner().equals("ns/web")).findFirst().orElseThrow();
    OwnerReport api = s.owners().stream().filter(r -> r.owner().equals("ns/api")).findFirst().orElseThrow();
    assertThat(web.podNamespaces()).containsExactly(ok, missing);
    assertThat(web.programmed()).isFalse();
    assertThat(web.errors()).containsExactly("pod 10.244.1.6 namespace not configured: " + missing.reason());
    assertThat(api.programmed()).isTrue();
    assertThat(api.podNamespaces()).containsExactly(ok);
  }

  @Test
  void everythingReadBackMeansProgrammedWithCounters() {
    LvsNodeStateStatus s = build(outcome(clean(), kernelAsWanted(), Map.of()), null, T0);

    assertThat(s.observedGeneration()).isEqualTo(7);
    assertThat(s.lastSyncTime()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(s.owners()).extracting(OwnerReport::owner, OwnerReport::programmed)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("ns/api", true), org.assertj.core.groups.Tuple.tuple("ns/web", true));
    ServiceReport w = s.services().stream().filter(r -> r.owner().equals("ns/web")).findFirst().orElseThrow();
    assertThat(w.service()).isEqualTo("TCP 198.18.0.100:80");
    assertThat(w.programmed()).isTrue();
    assertThat(w.connections()).isEqualTo(10);
    assertThat(w.inBytes()).isEqualTo(1000);
    assertThat(w.outPackets()).isEqualTo(90);
    assertThat(w.destinations()).hasSize(2).allSatisfy(d -> {
      assertThat(d.activeConnections()).isEqualTo(2);
      assertThat(d.inactiveConnections()).isEqualTo(3);
      assertThat(d.connections()).isEqualTo(5);
      assertThat(d.weight()).isEqualTo(1);
    });
    assertThat(cond(s, "Ready").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Programmed").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Programmed").getMessage()).isEqualTo("2/2 owners programmed");
    assertThat(cond(s, "Degraded").getStatus()).isEqualTo("False");
    assertThat(cond(s, "Degraded").getReason()).isEqualTo("AsExpected");
  }

  @Test
  void aFailedOperationNamesOperationObjectAndErrnoForItsOwnerOnly() {
    Destination d12 = Destination.of(new DestinationKey(ip("198.18.0.12"), 80), ForwardMethod.DROUTE, 1);
    Operation add = new Operation.AddDestination(web, d12, "ns/web");
    ApplyReport report = new ApplyReport(new Plan(List.of(add), List.of(), List.of()),
        List.of(new OperationResult(add, OperationResult.Outcome.FAILED,
            "add destination 198.18.0.12:80 to TCP 198.18.0.100:80: EEXIST (errno 17)")),
        OwnedSet.EMPTY);
    List<ObservedService> kernel = kernelAsWanted().stream()
        .map(o -> o.service().key().equals(web)
            ? new ObservedService(o.service(), o.stats(), o.destinations().subList(0, 1)) : o)
        .toList();
    LvsNodeStateStatus s = build(outcome(report, kernel, Map.of()), null, T0);

    OwnerReport webOwner = s.owners().stream().filter(o -> o.owner().equals("ns/web")).findFirst().orElseThrow();
    assertThat(webOwner.programmed()).isFalse();
    assertThat(webOwner.errors()).singleElement().asString()
        .contains("destination TCP 198.18.0.100:80 -> 198.18.0.12:80").contains("FAILED").contains("EEXIST");
    assertThat(s.owners().stream().filter(o -> o.owner().equals("ns/api")).findFirst().orElseThrow().programmed()).isTrue();
    ServiceReport w = s.services().stream().filter(r -> r.owner().equals("ns/web")).findFirst().orElseThrow();
    assertThat(w.programmed()).isFalse();
    assertThat(w.error()).contains("ADD_DESTINATION").contains("EEXIST");
    assertThat(cond(s, "Programmed").getStatus()).isEqualTo("False");
    assertThat(cond(s, "Programmed").getMessage()).startsWith("1/2 owners programmed; ns/web: ");
    assertThat(cond(s, "Degraded").getStatus()).isEqualTo("True");
    assertThat(cond(s, "Degraded").getReason()).isEqualTo("OperationsFailed");
  }

  @Test
  void whatTheKernelDoesNotHoldIsNotProgrammedEvenWithoutAnError() {
    List<ObservedService> kernel = kernelAsWanted().stream().filter(o -> !o.service().key().equals(api)).toList();
    LvsNodeStateStatus s = build(outcome(clean(), kernel, Map.of()), null, T0);

    OwnerReport a = s.owners().stream().filter(o -> o.owner().equals("ns/api")).findFirst().orElseThrow();
    assertThat(a.programmed()).isFalse();
    assertThat(a.errors()).containsExactly("service TCP 198.18.0.101:443: not in the kernel after applying");
  }

  @Test
  void anUnhealthyMemberDegradesTheNodeAndIsReported() {
    MemberKey m = new MemberKey(web, new DestinationKey(ip("198.18.0.12"), 80));
    var desired = HealthOverlay.apply(translation.desired(), java.util.Set.of(m));
    List<ObservedService> kernel = desired.services().values().stream().map(this::observed).toList();
    MemberKey ok = new MemberKey(web, new DestinationKey(ip("198.18.0.11"), 80));
    java.time.Instant failing = java.time.Instant.parse("2026-11-25T09:58:30.250Z");
    SyncOutcome o = new SyncOutcome(one(7), translation, desired, clean(), null, kernel,
        Map.of(m, Health.Unhealthy, ok, Health.Healthy), Map.of(),
        Map.of(m, new io.lvs.agent.runtime.health.MemberHealth(Health.Unhealthy, failing, "connect refused"),
            ok, new io.lvs.agent.runtime.health.MemberHealth(Health.Healthy, failing.minusSeconds(600), null)));
    LvsNodeStateStatus s = build(o, null, T0);

    ServiceReport w = s.services().stream().filter(r -> r.owner().equals("ns/web")).findFirst().orElseThrow();
    assertThat(w.programmed()).isTrue();
    assertThat(w.destinations()).extracting(d -> d.address(), d -> d.weight(), d -> d.health(), d -> d.healthSince(),
            d -> d.healthError())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("198.18.0.11", 1, "Healthy", "2026-11-25T09:48:30Z", null),
            org.assertj.core.groups.Tuple.tuple("198.18.0.12", 0, "Unhealthy", "2026-11-25T09:58:30Z", "connect refused"));
    assertThat(cond(s, "Degraded").getReason()).isEqualTo("MembersUnhealthy");
    assertThat(cond(s, "Programmed").getStatus()).isEqualTo("True");
  }

  @Test
  void aFailedSyncIsNotReadyAndTransitionTimesAreKeptWhileStatusHolds() {
    LvsNodeStateStatus first = build(outcome(clean(), kernelAsWanted(), Map.of()), null, T0);
    LvsNodeStateStatus again = build(outcome(clean(), kernelAsWanted(), Map.of()), first.conditions(),
        T0.plusSeconds(60));
    assertThat(cond(again, "Ready").getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(again.lastSyncTime()).isEqualTo("2026-11-25T10:01:00Z");

    SyncOutcome failed = new SyncOutcome(one(8), translation, translation.desired(), null,
        "read kernel: IPVS_CMD_GET_SERVICE dump: EPERM (errno 1)", List.of(), Map.of(), Map.of());
    LvsNodeStateStatus down = build(failed, again.conditions(), T0.plusSeconds(120));
    assertThat(cond(down, "Ready").getStatus()).isEqualTo("False");
    assertThat(cond(down, "Ready").getReason()).isEqualTo("SyncFailed");
    assertThat(cond(down, "Ready").getMessage()).contains("EPERM");
    assertThat(cond(down, "Ready").getLastTransitionTime()).isEqualTo("2026-11-25T10:02:00Z");
    assertThat(down.owners()).allSatisfy(r -> assertThat(r.programmed()).isFalse());
  }
  /**
   * A first sync at the agent's benchmark size (10,000 services x 10 destinations, 40 slices)
   * with one failed destination per service: 110,000 results, 10,000 problems. The status used to
   * scan every result and every problem once per service (10^9 steps, minutes in the kernel lab
   * while the sync loop's lock was held); built once per sync, it is linear. The bound is far above
   * the linear cost (0.9 s on the 2-core host) and far below the quadratic one (27.9 s there).
   */
  @Test
  void aFirstSyncAtTenThousandServicesWithAProblemEachIsReportedInLinearTime() {
    SliceUnion union = SliceUnion.of(AgentProcessAtScaleKernelTest.slices("n1", 10_000));
    Translation big = new NodeStateTranslator().translate(union.spec());
    List<OperationResult> results = new java.util.ArrayList<>();
    List<ObservedService> kernel = new java.util.ArrayList<>();
    for (DesiredService d : big.desired().services().values()) {
      results.add(new OperationResult(new Operation.AddService(d.service(), d.owner()), OperationResult.Outcome.SUCCEEDED,
          null));
      boolean first = true;
      for (var dd : d.destinations().values()) {
        results.add(new OperationResult(new Operation.AddDestination(d.key(), dd.kernelDestination(), d.owner()),
            first ? OperationResult.Outcome.FAILED : OperationResult.Outcome.SUCCEEDED, first ? "EEXIST (errno 17)" : null));
        first = false;
      }
      ObservedService all = observed(d);
      kernel.add(new ObservedService(all.service(), all.stats(), all.destinations().subList(1, all.destinations().size())));
    }
    ApplyReport report = new ApplyReport(new Plan(results.stream().map(OperationResult::operation).toList(), List.of(),
        List.of()), results, OwnedSet.EMPTY);
    SyncOutcome o = new SyncOutcome(union, big, big.desired(), report, null, kernel, Map.of(), Map.of());

    long t0 = System.nanoTime();
    Map<String, LvsNodeStateStatus> out = builder.build(o, Map.of(), T0);
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(out).hasSize(40);
    LvsNodeStateStatus last = out.get("n1.39");
    assertThat(last.services()).hasSize(10_000 - 39 * 256).allSatisfy(r -> {
      assertThat(r.programmed()).isFalse();
      assertThat(r.error()).contains("ADD_DESTINATION").contains("EEXIST").doesNotContain("not in the kernel");
      assertThat(r.destinations()).hasSize(10);
    });
    assertThat(last.owners()).hasSize(10_000 - 39 * 256).allSatisfy(r -> assertThat(r.errors()).hasSize(1));
    System.out.printf("status build at 10,000 x 10: %d ms%n", ms);
    assertThat(ms).as("status build at 10,000 x 10, ms").isLessThan(10_000);
  }
  @Test
  void aDestinationStillInTheKernelButNoLongerWantedIsListedAfterTheWantedOnes() throws Exception {
    ObservedService web = kernelAsWanted().stream().filter(o -> o.service().key().equals(this.web)).findFirst().orElseThrow();
    List<ObservedDestination> withLeftover = new java.util.ArrayList<>();
    withLeftover.add(new ObservedDestination(Destination.of(new DestinationKey(ip("198.18.0.13"), 80), ForwardMethod.DROUTE, 0),
        4, 1, 0, Stats.ZERO)); // the kernel lists it first; it is draining, owned, not in the spec
    withLeftover.addAll(web.destinations());
    List<ObservedService> observed = kernelAsWanted().stream()
        .map(o -> o == web || o.service().key().equals(this.web) ? new ObservedService(o.service(), o.stats(), withLeftover) : o)
        .toList();
    LvsNodeStateStatus s = build(outcome(clean(), observed, Map.of()), null, T0);
    ServiceReport w = s.services().stream().filter(r -> r.owner().equals("ns/web")).findFirst().orElseThrow();
    assertThat(w.destinations()).extracting(d -> d.address(), d -> d.weight(), d -> d.activeConnections())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("198.18.0.11", 1, 2L),
            org.assertj.core.groups.Tuple.tuple("198.18.0.12", 1, 2L),
            org.assertj.core.groups.Tuple.tuple("198.18.0.13", 0, 4L));
  }
}
