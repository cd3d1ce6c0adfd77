package io.lvs.operator.status;

import static io.lvs.operator.fixtures.Specs.member;
import static io.lvs.operator.fixtures.Specs.vs;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.api.v1alpha1.DestinationReport;
import io.lvs.api.v1alpha1.DirectorHealth;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.MemberStatus;
import io.lvs.api.v1alpha1.ResolvedRealServer;
import io.lvs.api.v1alpha1.ServiceReport;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.api.v1alpha1.VirtualServiceStatus;
import io.lvs.operator.apply.MemberHealthBook;
import io.lvs.operator.plan.ClusterPlan;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The directors' health reports, per member, into pool and VirtualService status. */
class MemberHealthReportsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String SINCE = "2026-01-01T00:00:00Z";
  private final VirtualServiceSpec nat = vs("10.0.0.1", 80, Forwarding.NAT, "p");
  private final VirtualServiceSpec dr = vs("10.0.0.1", 80, Forwarding.DirectRouting, "p");
  private final List<Member> members = List.of(member("192.168.0.11", 8080, "w1"), member("192.168.0.12", 8080, "w2"));

  private static DestinationReport dest(String ip, int port, String health, String since, String error) {
    return new DestinationReport(ip, port, 1, health, 0L, 0L, 0L, 0L, 0L, 0L, 0L, since, error);
  }

  private static LvsNodeState state(String node, String owner, DestinationReport... dests) {
    LvsNodeState s = new LvsNodeState();
    s.setMetadata(new ObjectMetaBuilder().withName(node).build());
    s.setStatus(new LvsNodeStateStatus(1L, null, null, List.of(),
        List.of(new ServiceReport(owner, "TCP 10.0.0.1:80", true, null, List.of(dests), 0L, 0L, 0L, 0L, 0L))));
    return s;
  }

  private static String cond(VirtualServiceStatus s, String type) {
    Condition c = Conditions.find(s.conditions(), type).orElseThrow();
    return c.getStatus() + " " + c.getReason() + ": " + c.getMessage();
  }

  @Test
  void eachDirectorsViewIsMatchedToTheMemberByTheDestinationItProgrammed() {
    var states = Map.of(
        "d1", state("d1", "ns/web", dest("192.168.0.11", 8080, "Unhealthy", SINCE, "connect refused"),
            dest("192.168.0.12", 8080, "Healthy", SINCE, null)),
        "d2", state("d2", "ns/web", dest("192.168.0.11", 8080, "Healthy", SINCE, null),
            dest("192.168.0.12", 8080, null, null, null)), // not probed there yet
        "d3", state("d3", "ns/other", dest("192.168.0.12", 8080, "Unhealthy", SINCE, "not ours")));
    var health = MemberHealthReports.of("ns/web", nat, members, states);
    assertThat(health).containsOnlyKeys(new MemberKey("192.168.0.11", 8080), new MemberKey("192.168.0.12", 8080));
    assertThat(health.get(new MemberKey("192.168.0.11", 8080))).containsExactly(
        new DirectorHealth("d1", "Unhealthy", SINCE, "connect refused"), new DirectorHealth("d2", "Healthy", SINCE, null));
    assertThat(health.get(new MemberKey("192.168.0.12", 8080))).containsExactly(
        new DirectorHealth("d1", "Healthy", SINCE, null));
    assertThat(MemberHealthReports.overall(health.get(new MemberKey("192.168.0.11", 8080)))).isEqualTo("Unhealthy");
    assertThat(MemberHealthReports.overall(health.get(new MemberKey("192.168.0.12", 8080)))).isEqualTo("Healthy");
    assertThat(MemberHealthReports.overall(null)).isNull();

    // DirectRouting forwards to the service port (80), not the member's 8080: matched all the same
    var drStates = Map.of("d1", state("d1", "ns/web", dest("192.168.0.11", 80, "Unhealthy", SINCE, "timeout")));
    assertThat(MemberHealthReports.of("ns/web", dr, members, drStates))
        .containsOnlyKeys(new MemberKey("192.168.0.11", 8080));
  }

  @Test
  void anIpv6MemberIsMatchedWhateverFormTheAddressIsWrittenIn() {
    VirtualServiceSpec v6 = vs("fd00::100", 80, Forwarding.NAT, "p");
    List<Member> six = List.of(member("fd00::11", 8080, "w1"));
    // the agent writes Java's uncompressed form, the pool the user's compressed one
    var states = Map.of("d1", state("d1", "ns/web", dest("fd00:0:0:0:0:0:0:11", 8080, "Unhealthy", SINCE, "timeout")));
    assertThat(MemberHealthReports.of("ns/web", v6, six, states))
        .containsEntry(new MemberKey("fd00::11", 8080), List.of(new DirectorHealth("d1", "Unhealthy", SINCE, "timeout")));
  }

  @Test
  void aFailingMemberIsNotReadyAndDegradesTheVirtualServiceWhileOthersKeepItReady() {
    var outcome = new ClusterPlan.Outcome(null, List.of("d1"), "d1", Set.of("d1"));
    var tally = new NodeReports.Tally(1, 1, List.of());
    var health = Map.of(new MemberKey("192.168.0.11", 8080),
        List.of(new DirectorHealth("d1", "Unhealthy", SINCE, "connect refused")));
    VirtualServiceStatus s = VirtualServiceStatusBuilder.build(nat, 1, null, null, outcome, members, tally, health, NOW);
    assertThat(s.realServers()).extracting(ResolvedRealServer::address, ResolvedRealServer::ready,
            ResolvedRealServer::health)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("192.168.0.11", false, "Unhealthy"),
            org.assertj.core.groups.Tuple.tuple("192.168.0.12", true, null));
    assertThat(s.readyRealServers()).isEqualTo("1/2");
    assertThat(cond(s, "Degraded")).isEqualTo("True MembersUnhealthy: excluded by health checks (weight 0 on those"
        + " directors): 192.168.0.11:8080 on d1 since " + SINCE + ": connect refused");
    assertThat(cond(s, "Ready")).startsWith("True Ready: 1/2 real servers ready");

    var allDown = new java.util.HashMap<>(health);
    allDown.put(new MemberKey("192.168.0.12", 8080), List.of(new DirectorHealth("d1", "Unhealthy", SINCE, "x")));
    VirtualServiceStatus none = VirtualServiceStatusBuilder.build(nat, 1, null, null, outcome, members, tally, allDown, NOW);
    assertThat(cond(none, "Ready")).startsWith("False NoReadyRealServers");

    VirtualServiceStatus healthy = VirtualServiceStatusBuilder.build(nat, 1, null, null, outcome, members, tally,
        Map.of(), NOW);
    assertThat(cond(healthy, "Degraded")).startsWith("False NoErrors");
  }

  @Test
  void thePoolShowsEachDirectorsViewPerMember() {
    var health = Map.of(new MemberKey("192.168.0.11", 8080), List.of(
        new DirectorHealth("d1", "Unhealthy", SINCE, "connect refused"), new DirectorHealth("d2", "Healthy", SINCE, null)));
    var s = PoolStatusBuilder.build(2, null, members, List.of(), health, NOW);
    MemberStatus m = s.members().get(0);
    assertThat(m.health()).isEqualTo("Unhealthy");
    assertThat(m.directors()).extracting(DirectorHealth::node, DirectorHealth::health, DirectorHealth::lastError)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("d1", "Unhealthy", "connect refused"),
            org.assertj.core.groups.Tuple.tuple("d2", "Healthy", null));
    assertThat(s.members().get(1).health()).isNull();
    assertThat(s.members().get(1).directors()).isNull();
    assertThat(s.conditions()).anySatisfy(c -> assertThat(c.getMessage()).contains("1 failing health checks"));
  }

  @Test
  void theBookMergesVirtualServicesSharingAPoolFailingFirstAndTellsWhichPoolChanged() {
    MemberHealthBook book = new MemberHealthBook();
    List<String> changed = new ArrayList<>();
    book.onChange(changed::add);
    MemberKey m = new MemberKey("192.168.0.11", 8080);
    book.publish("ns/a", "ns/p", Map.of(m, List.of(new DirectorHealth("d1", "Healthy", SINCE, null))));
    book.publish("ns/b", "ns/p", Map.of(m, List.of(new DirectorHealth("d1", "Unhealthy", SINCE, "refused"))));
    book.publish("ns/b", "ns/p", Map.of(m, List.of(new DirectorHealth("d1", "Unhealthy", SINCE, "refused")))); // same
    assertThat(book.of("ns/p")).containsEntry(m, List.of(new DirectorHealth("d1", "Unhealthy", SINCE, "refused")));
    book.publish("ns/b", "ns/q", Map.of()); // b moved to another pool
    assertThat(book.of("ns/p")).containsEntry(m, List.of(new DirectorHealth("d1", "Healthy", SINCE, null)));
    book.forget("ns/a");
    assertThat(book.of("ns/p")).isEmpty();
    assertThat(changed).containsExactly("ns/p", "ns/p", "ns/p", "ns/q", "ns/p");
  }
}
