package io.lvs.agent.podnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.podnet.PodNetnsDecisions.Configure;
import io.lvs.agent.podnet.PodNetnsDecisions.Forget;
import io.lvs.agent.podnet.PodNetnsDecisions.NotConfigured;
import io.lvs.agent.podnet.PodNetnsDecisions.Recorded;
import io.lvs.agent.podnet.PodNetnsDecisions.Undo;
import io.lvs.agent.runtime.IpLiterals;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodNetnsDecisionsTest {
  static final InetAddress A = IpLiterals.parse("10.244.1.5");
  static final InetAddress B = IpLiterals.parse("10.244.1.6");
  static final NetnsRef NS1 = new NetnsRef("/run/netns/cni-1", 4026532001L);
  static final NetnsRef NS2 = new NetnsRef("/proc/77/ns/net", 4026532002L);
  static final NetnsRef NS3 = new NetnsRef("/run/netns/cni-3", 4026532003L);

  @Test
  void theOneNamespaceHoldingThePodIpIsConfigured() {
    assertThat(PodNetnsDecisions.decide(List.of(A), List.of(), Map.of(A, List.of(NS1)), List.of(NS1, NS2)))
        .containsExactly(new Configure(A, NS1));
  }

  @Test
  void noHolderOrSeveralIsNotConfiguredWithTheReason() {
    var out = PodNetnsDecisions.decide(List.of(A, B), List.of(), Map.of(B, List.of(NS1, NS2)), List.of(NS1, NS2));
    assertThat(out).hasSize(2).allMatch(a -> a instanceof NotConfigured);
    assertThat(((NotConfigured) out.get(0)).reason()).contains("no network namespace on this node holds 10.244.1.5");
    assertThat(((NotConfigured) out.get(1)).reason()).startsWith("2 network namespaces hold 10.244.1.6")
        .contains("/run/netns/cni-1 (inode 4026532001)", "/proc/77/ns/net");
  }

  @Test
  void aRecreatedSandboxIsConfiguredAndTheOldRecordForgotten() {
    Recorded old = new Recorded("10.244.1.5", NS1.inode());
    assertThat(PodNetnsDecisions.decide(List.of(A), List.of(old), Map.of(A, List.of(NS3)), List.of(NS3)))
        .containsExactly(new Configure(A, NS3), new Forget(old));
  }

  @Test
  void aPodNoLongerWantedIsUndoneInItsStillLivingNamespace() {
    Recorded r = new Recorded("10.244.1.6", NS2.inode());
    Recorded kept = new Recorded("10.244.1.5", NS1.inode());
    assertThat(PodNetnsDecisions.decide(List.of(A), List.of(kept, r), Map.of(A, List.of(NS1), B, List.of(NS2)),
        List.of(NS1, NS2))).containsExactly(new Configure(A, NS1), new Undo(r, NS2));
  }

  @Test
  void aFreedInodeReusedByAnotherPodIsForgottenNotUndone() {
    Recorded gone = new Recorded("10.244.1.6", NS1.inode()); // its pod is gone; NS1's inode now holds A
    assertThat(PodNetnsDecisions.decide(List.of(A), List.of(gone), Map.of(A, List.of(NS1)), List.of(NS1)))
        .containsExactly(new Configure(A, NS1), new Forget(gone));
  }

  @Test
  void recordNamesRoundTripAndStrangersAreIgnored() {
    Recorded r = new Recorded("fd00::5", 4026532001L);
    assertThat(Recorded.parse(r.dirName())).isEqualTo(r);
    assertThat(Recorded.parse("owned.json")).isNull();
    assertThat(Recorded.parse("10.0.0.1@x")).isNull();
  }
}
