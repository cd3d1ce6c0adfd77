package io.lvs.agent.runtime.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.ha.ElectionTimings;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.runtime.IpLiterals;
import io.lvs.agent.runtime.NodeStateTranslator.AddressHolders;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeFailoverTimings;
import io.lvs.api.v1alpha1.NodeHaPeer;
import io.lvs.api.v1alpha1.NodeVipCandidate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaCandidatesTest {
  static final List<NodeHaPeer> TWO = List.of(new NodeHaPeer("dir1", "198.18.0.10"), new NodeHaPeer("dir2", "198.18.0.14"));
  static final AddressHolders HOLDERS = AddressHolders.of(List.of(
      new InterfaceAddress("eth0", IpLiterals.parse("198.18.0.10"), 24)));

  static NodeVipCandidate candidate(String address, List<NodeHaPeer> directors, NodeFailoverTimings t) {
    return new NodeVipCandidate("default/web", address, null, null, "198.18.0.10", directors, "dir2", null, t, null,
        null, true);
  }

  static HaCandidates.Result read(NodeVipCandidate... c) {
    return HaCandidates.read("dir1", Map.of("dir1-0", new LvsNodeStateSpec("dir1", null, null, null, null, null, null,
        null, List.of(c))), HOLDERS);
  }

  @Test
  void aCandidateGetsTheAgentsDefaultsAndTheInterfaceOfTheAddressNamed() {
    HaCandidates.Result r = read(candidate("198.18.0.100", TWO, null));
    assertThat(r.refused()).isEmpty();
    HaVipSpec v = r.vips().get(0);
    assertThat(v.address()).isEqualTo(new InterfaceAddress("eth0", IpLiterals.parse("198.18.0.100"), 32));
    assertThat(v.vip()).isEqualTo("198.18.0.100");
    assertThat(v.timings()).isEqualTo(ElectionTimings.DEFAULT);
    assertThat(v.heartbeatInterval()).isEqualTo(Duration.ofMillis(300));
    assertThat(v.announceCount()).isEqualTo(3);
    assertThat(v.preempt()).as("preempt defaults to on").isTrue();
    assertThat(v.preferred()).isEqualTo("dir2");
    assertThat(v.connectionSync()).isTrue();
    assertThat(v.directors()).containsEntry("dir2", IpLiterals.parse("198.18.0.14"));
  }

  @Test
  void timingsTheOperatorSetAreUsedAndTheMissingOnesDefault() {
    HaVipSpec v = read(candidate("198.18.0.100", TWO, new NodeFailoverTimings(1000, 600, 200, 500, 100))).vips().get(0);
    assertThat(v.timings()).isEqualTo(new ElectionTimings(Duration.ofSeconds(1), Duration.ofMillis(600),
        Duration.ofMillis(200), Duration.ofMillis(500)));
    assertThat(v.heartbeatInterval()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void entriesThatCannotRunAreRefusedNamingFieldAndValueAndTheOthersRun() {
    HaCandidates.Result r = read(
        candidate("198.18.0.100", TWO, null),
        candidate("198.18.0.300", TWO, null),
        candidate("198.18.0.101", List.of(new NodeHaPeer("dir1", "198.18.0.10")), null),
        candidate("198.18.0.102", List.of(new NodeHaPeer("dir3", "198.18.0.15"), new NodeHaPeer("dir2", "198.18.0.14")), null),
        candidate("198.18.0.103", TWO, new NodeFailoverTimings(1000, 900, 200, null, null)),
        candidate("198.18.0.104", TWO, new NodeFailoverTimings(null, null, null, null, 1500)),
        new NodeVipCandidate("o", "198.18.0.105", null, null, "198.18.0.99", TWO, null, null, null, null, null, null),
        new NodeVipCandidate("o", "198.18.0.106", null, "eth0", null, TWO, "dir9", null, null, 0, null, null));
    assertThat(r.vips()).extracting(HaVipSpec::vip).containsExactly("198.18.0.100");
    assertThat(r.refused()).hasSize(7);
    assertThat(r.refused().get(0)).startsWith("dir1-0 vipCandidates[1].address: 198.18.0.300");
    assertThat(r.refused().get(1)).isEqualTo("dir1-0 vipCandidates[2].directors: 1 named, an HA VIP needs two or more");
    assertThat(r.refused().get(2)).contains("directors: this node dir1 is not among");
    assertThat(r.refused().get(3)).contains("vipCandidates[4].timings:").contains("must be longer than renewDeadline");
    assertThat(r.refused().get(4)).contains("timings.heartbeatIntervalMillis: 1500");
    assertThat(r.refused().get(5)).isEqualTo("dir1-0 vipCandidates[6].interfaceOf: 198.18.0.99: no interface holds it");
    assertThat(r.refused().get(6)).contains("preferred: dir9 is not among the directors");
  }

  @Test
  void theSameVipWithOtherSettingsInTwoSlicesIsRefusedOnce() {
    NodeVipCandidate a = candidate("198.18.0.100", TWO, null);
    NodeVipCandidate b = new NodeVipCandidate("other/x", "198.18.0.100", null, "eth1", null, TWO, null, false, null,
        null, null, null);
    HaCandidates.Result r = read(a, a, b);
    assertThat(r.vips()).hasSize(1);
    assertThat(r.refused()).containsExactly("dir1-0 vipCandidates[2].address: 198.18.0.100 is already a candidate "
        + "with other settings (owner default/web)");
  }
}
