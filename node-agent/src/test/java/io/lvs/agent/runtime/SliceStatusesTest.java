package io.lvs.agent.runtime;

import static io.lvs.agent.runtime.NodeStateTranslatorTest.dest;
import static io.lvs.agent.runtime.NodeStateTranslatorTest.dr;
import static io.lvs.agent.runtime.NodeStateTranslatorTest.ip;
import static io.lvs.agent.runtime.StatusBuilderTest.clean;
import static io.lvs.agent.runtime.StatusBuilderTest.cond;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.apply.ApplyReport;
import io.lvs.agent.apply.OperationResult;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.diff.Operation;
import io.lvs.agent.diff.Plan;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
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

/** One sync's status split over two slices: each speaks of its own owners, with its own generation. */
class SliceStatusesTest {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  final StatusBuilder builder = new StatusBuilder();
  final ServiceKey web = ServiceKey.of(IpProtocol.TCP, ip("198.18.0.100"), 80);
  final ServiceKey api = ServiceKey.of(IpProtocol.TCP, ip("198.18.0.101"), 443);
  // slice A (named after the node) holds ns/web at generation 3, slice B ns/api and ns/db at generation 5
  final SliceUnion slices = SliceUnion.of(List.of(
      new NodeSlice("n1.1", 5, new LvsNodeStateSpec("n1",
          List.of(dr("ns/api", "198.18.0.101", 443, dest("198.18.0.12", 1)),
              dr("ns/db", "198.18.0.102", 5432, dest("198.18.0.13", 1))),
          null, null, null, null)),
      new NodeSlice("n1", 3, new LvsNodeStateSpec("n1",
          List.of(dr("ns/web", "198.18.0.100", 80, dest("198.18.0.11", 1))), null, null, null, null))));
  final Translation translation = new NodeStateTranslator().translate(slices.spec(), slices::path);

  List<ObservedService> kernelAsWanted() {
    return translation.desired().services().values().stream().map(SliceStatusesTest::observed).toList();
  }

  static ObservedService observed(DesiredService d) {
    return new ObservedService(d.service(), new Stats(10, 100, 90, 1000, 900, 0, 0, 0, 0, 0),
        d.destinations().values().stream()
            .map(dd -> new ObservedDestination(dd.kernelDestination(), 2, 3, 0, Stats.ZERO)).toList());
  }

  Map<String, LvsNodeStateStatus> build(ApplyReport report, String failure, List<ObservedService> kernel,
      Map<MemberKey, Health> health) {
    return builder.build(new SyncOutcome(slices, translation, translation.desired(), report, failure, kernel, health,
        Map.of()), Map.of(), T0);
  }

  static OwnerReport owner(LvsNodeStateStatus s, String owner) {
    return s.owners().stream().filter(r -> r.owner().equals(owner)).findFirst().orElseThrow();
  }

  @Test
  void eachSliceReportsItsOwnOwnersServicesAndGeneration() {
    Map<String, LvsNodeStateStatus> out = build(clean(), null, kernelAsWanted(), Map.of());

    assertThat(out).containsOnlyKeys("n1", "n1.1");
    LvsNodeStateStatus a = out.get("n1");
    LvsNodeStateStatus b = out.get("n1.1");
    assertThat(a.observedGeneration()).isEqualTo(3);
    assertThat(b.observedGeneration()).isEqualTo(5);
    assertThat(a.owners()).extracting(OwnerReport::owner).containsExactly("ns/web");
    assertThat(b.owners()).extracting(OwnerReport::owner).containsExactly("ns/api", "ns/db");
    assertThat(a.services()).extracting(ServiceReport::service).containsExactly("TCP 198.18.0.100:80");
    assertThat(b.services()).extracting(ServiceReport::service)
        .containsExactly("TCP 198.18.0.101:443", "TCP 198.18.0.102:5432");
    assertThat(cond(a, "Programmed").getMessage()).isEqualTo("1/1 owners programmed");
    assertThat(cond(b, "Programmed").getMessage()).isEqualTo("2/2 owners programmed");
    assertThat(cond(a, "Ready").getObservedGeneration()).isEqualTo(3);
    assertThat(cond(b, "Ready").getObservedGeneration()).isEqualTo(5);
    assertThat(cond(b, "Ready").getMessage()).isEqualTo("kernel read back after applying generation 5");
  }

  @Test
  void anErrorOnAnOwnerInSliceBLeavesSliceAProgrammed() {
    Destination d12 = Destination.of(new DestinationKey(ip("198.18.0.12"), 443), ForwardMethod.DROUTE, 1);
    Operation add = new Operation.AddDestination(api, d12, "ns/api");
    ApplyReport report = new ApplyReport(new Plan(List.of(add), List.of(), List.of()),
        List.of(new OperationResult(add, OperationResult.Outcome.FAILED,
            "add destination 198.18.0.12:443 to TCP 198.18.0.101:443: ENOMEM (errno 12)")),
        OwnedSet.EMPTY);
    List<ObservedService> kernel = kernelAsWanted().stream()
        .map(o -> o.service().key().equals(api) ? new ObservedService(o.service(), o.stats(), List.of()) : o)
        .toList();
    Map<String, LvsNodeStateStatus> out = build(report, null, kernel, Map.of());

    LvsNodeStateStatus a = out.get("n1");
    LvsNodeStateStatus b = out.get("n1.1");
    assertThat(cond(a, "Programmed").getStatus()).isEqualTo("True");
    assertThat(cond(a, "Degraded").getStatus()).isEqualTo("False");
    assertThat(owner(a, "ns/web").programmed()).isTrue();
    assertThat(cond(b, "Programmed").getStatus()).isEqualTo("False");
    assertThat(cond(b, "Programmed").getMessage()).startsWith("1/2 owners programmed; ns/api: ").contains("ENOMEM");
    assertThat(cond(b, "Degraded").getReason()).isEqualTo("OperationsFailed");
    assertThat(owner(b, "ns/api").programmed()).isFalse();
    assertThat(owner(b, "ns/db").programmed()).isTrue();
    // both slices still report Ready: the kernel could be read and programmed
    assertThat(cond(a, "Ready").getStatus()).isEqualTo("True");
    assertThat(cond(b, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void aNodeWideFailureIsReportedOnEverySlice() {
    Map<String, LvsNodeStateStatus> out = build(null, "sync: IPVS_CMD_GET_SERVICE dump: EPERM (errno 1)", List.of(),
        Map.of());

    assertThat(out.values()).hasSize(2).allSatisfy(s -> {
      assertThat(cond(s, "Ready").getStatus()).isEqualTo("False");
      assertThat(cond(s, "Ready").getReason()).isEqualTo("SyncFailed");
      assertThat(cond(s, "Programmed").getStatus()).isEqualTo("False");
      assertThat(s.owners()).allSatisfy(r -> assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("EPERM")));
    });
    assertThat(out.get("n1").observedGeneration()).isEqualTo(3);
  }

  @Test
  void anUnhealthyMemberDegradesOnlyTheSliceOfItsService() {
    MemberKey down = new MemberKey(web, new DestinationKey(ip("198.18.0.11"), 80));
    Map<String, LvsNodeStateStatus> out = build(clean(), null, kernelAsWanted(), Map.of(down, Health.Unhealthy));

    assertThat(cond(out.get("n1"), "Degraded").getReason()).isEqualTo("MembersUnhealthy");
    assertThat(cond(out.get("n1.1"), "Degraded").getReason()).isEqualTo("AsExpected");
  }

  @Test
  void previousConditionsAreKeptPerSlice() {
    Map<String, LvsNodeStateStatus> first = build(clean(), null, kernelAsWanted(), Map.of());
    SyncOutcome failedB = new SyncOutcome(slices, translation, translation.desired(), clean(), null,
        kernelAsWanted().stream().filter(o -> !o.service().key().equals(api)).toList(), Map.of(), Map.of());
    Map<String, LvsNodeStateStatus> later = builder.build(failedB,
        Map.of("n1", first.get("n1").conditions(), "n1.1", first.get("n1.1").conditions()), T0.plusSeconds(60));

    assertThat(cond(later.get("n1"), "Programmed").getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(cond(later.get("n1.1"), "Programmed").getStatus()).isEqualTo("False");
    assertThat(cond(later.get("n1.1"), "Programmed").getLastTransitionTime()).isEqualTo("2026-11-25T10:01:00Z");
    assertThat(later.get("n1").lastSyncTime()).isEqualTo("2026-11-25T10:01:00Z");
  }

  @Test
  void noSlicesNoStatuses() {
    SliceUnion none = SliceUnion.of(List.of());
    Translation t = new NodeStateTranslator().translate(none.spec(), none::path);
    assertThat(builder.build(new SyncOutcome(none, t, t.desired(), clean(), null, List.of(), Map.of(), Map.of()),
        Map.of(), T0)).isEmpty();
  }
}
