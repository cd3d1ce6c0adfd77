package io.lvs.agent.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.lvs.agent.ha.LeaseView;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agents' VIP Lease on a real kube-apiserver: the optimistic lock is what fences two writers. */
class VipLeaseClientApiServerTest {
  static ApiServer api;
  static final String NS = "lvs-ha-test";
  static final Duration D = Duration.ofSeconds(3);
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @BeforeAll
  static void start() {
    api = ApiServer.shared();
    api.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .createOr(n -> n.update());
  }

  @Test
  void twoDirectorsWritingOnTheSameVersionOneWins() {
    VipLeaseClient d1 = new VipLeaseClient(api.agentApi(), NS);
    VipLeaseClient d2 = new VipLeaseClient(api.agentApi(), NS);
    String vip = "198.18.0.201";
    assertThat(d1.read(vip)).isEqualTo(LeaseView.ABSENT);
    LeaseView first = d1.write(vip, LeaseView.ABSENT, "d1", D, T, null, "w-1").orElseThrow();
    assertThat(first.holder()).isEqualTo("d1");
    assertThat(d2.write(vip, LeaseView.ABSENT, "d2", D, T, null, "w-2")).as("create raced").isEmpty();
    // d1 renews; d2, still on the first version, loses
    LeaseView renewed = d1.write(vip, first, "d1", D, T.plusSeconds(1), null, "w-3").orElseThrow();
    assertThat(renewed.version()).isNotEqualTo(first.version());
    assertThat(d2.write(vip, first, "d2", D, T.plusSeconds(1), null, "w-4")).as("stale version").isEmpty();
    assertThat(d2.read(vip)).isEqualTo(renewed);
    // the token of the write that made this version: what d1's heartbeat names while it is in flight
    assertThat(renewed.write()).isEqualTo("w-3");
    assertThat(d2.read(vip).write()).isEqualTo("w-3");
    var lease = api.admin.leases().inNamespace(NS).withName(VipLeaseClient.name(vip)).get();
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(3);
    assertThat(lease.getSpec().getAcquireTime().toInstant()).isEqualTo(T);
    assertThat(lease.getSpec().getRenewTime().toInstant()).isEqualTo(T.plusSeconds(1));
  }

  @Test
  void theClientIsMadeOnTheFirstLeaseCallAndOnlyOnce() {
    AtomicInteger made = new AtomicInteger();
    VipLeaseClient c = new VipLeaseClient(() -> {
      made.incrementAndGet();
      return api.agentApi();
    }, NS);
    assertThat(made).as("before any Lease call").hasValue(0);
    String vip = "198.18.0.205";
    assertThat(c.read(vip)).isEqualTo(LeaseView.ABSENT);
    LeaseView held = c.write(vip, LeaseView.ABSENT, "d1", D, T, null, "w-12").orElseThrow();
    assertThat(c.read(vip)).isEqualTo(held);
    assertThat(made).hasValue(1);
  }

  @Test
  void aReleaseNamesNobodyAndTheNextHolderTakesItOnThatVersion() {
    VipLeaseClient c = new VipLeaseClient(api.agentApi(), NS);
    String vip = "2001:db8::201";
    LeaseView held = c.write(vip, LeaseView.ABSENT, "d1", D, T, null, "w-5").orElseThrow();
    LeaseView released = c.write(vip, held, null, D, T.plusSeconds(1), null, "w-6").orElseThrow();
    assertThat(released.held()).isFalse();
    assertThat(c.read(vip)).isEqualTo(released);
    LeaseView taken = c.write(vip, released, "d2", D, T.plusSeconds(2), null, "w-7").orElseThrow();
    assertThat(taken.holder()).isEqualTo("d2");
    assertThat(api.admin.leases().inNamespace(NS).withName("lvs-ha-vip-2001-db8--201").get()
        .getSpec().getAcquireTime().toInstant()).isEqualTo(T.plusSeconds(2));
  }

  @Test
  void aTakeoverIsRecordedInTheFailoverAnnotationsAndARenewalKeepsThem() {
    VipLeaseClient c = new VipLeaseClient(api.agentApi(), NS);
    String vip = "198.18.0.203";
    LeaseView first = c.write(vip, LeaseView.ABSENT, "d1", D, T, null, "w-8").orElseThrow();
    assertThat(annotations(vip)).doesNotContainKey(VipLeaseClient.FAILOVER_REASON);
    LeaseView taken = c.write(vip, first, "d2", D, T.plusSeconds(5),
        new io.lvs.agent.runtime.ha.ElectionPorts.Takeover("d1", "HolderLost"), "w-9").orElseThrow();
    c.write(vip, taken, "d2", D, T.plusSeconds(6), null, "w-10").orElseThrow();
    assertThat(annotations(vip)).containsEntry(VipLeaseClient.FAILOVER_FROM, "d1")
        .containsEntry(VipLeaseClient.FAILOVER_REASON, "HolderLost")
        .containsEntry(VipLeaseClient.FAILOVER_TIME, T.plusSeconds(5).toString())
        .containsEntry(VipLeaseClient.VIP_ANNOTATION, vip);
  }

  private static java.util.Map<String, String> annotations(String vip) {
    return api.admin.leases().inNamespace(NS).withName(VipLeaseClient.name(vip)).get().getMetadata().getAnnotations();
  }

  @Test
  void aPreparedWriteIsADryRunThatStoresNothing() {
    VipLeaseClient c = new VipLeaseClient(api.agentApi(), NS);
    String vip = "198.18.0.204";
    assertThatThrownBy(() -> c.prepareWrite(vip, "d2", D, T)).as("no Lease yet").isInstanceOf(ApiException.class);
    LeaseView held = c.write(vip, LeaseView.ABSENT, "d1", D, T, null, "w-20").orElseThrow();
    c.prepareWrite(vip, "d2", D, T.plusSeconds(1));
    assertThat(c.read(vip)).isEqualTo(held);
  }

  @Test
  void otherErrorsAreThrownNotTakenForAConflict() {
    VipLeaseClient c = new VipLeaseClient(api.agentApi(), "no-such-namespace");
    assertThatThrownBy(() -> c.write("198.18.0.202", LeaseView.ABSENT, "d1", D, T, null, "w-11"))
        .isInstanceOf(ApiException.class).extracting(e -> ((ApiException) e).code())
        .isEqualTo(404);
  }
}
