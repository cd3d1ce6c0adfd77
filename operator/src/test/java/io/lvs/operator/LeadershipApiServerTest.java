package io.lvs.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.testsupport.Crds;
import io.lvs.testsupport.RealApiServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two replicas with leader election on a real kube-apiserver of their own (the leader acts
 * cluster-wide): one leads, and the other, a standby whose controllers have not started, reports
 * ready as well, as a rolling update ({@code maxUnavailable: 0}) and the PDB need: a guard on the
 * SDK counting a standby's unstarted informers as unknown rather than unhealthy.
 */
class LeadershipApiServerTest {
  private static final String NAMESPACE = "lvs-system";

  @Test
  void theStandbyReplicaIsReadyWhileTheOtherLeads() {
    try (RealApiServer server = RealApiServer.start(false)) {
      Crds.install(server.admin(), Crds.PROJECT);
      server.admin().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
      Settings.LeaseTiming timing =
          new Settings.LeaseTiming(Duration.ofSeconds(13), Duration.ofSeconds(9), Duration.ofSeconds(2));
      Settings settings = new Settings(0, true, NAMESPACE, Set.of(NAMESPACE), Duration.ofSeconds(3),
          Settings.DEFAULT_SLICE_MAX_ENTRIES, timing, 4);
      try (KubernetesClient clientA = server.newClient();
          KubernetesClient clientB = server.newClient();
          LvsOperator a = new LvsOperator(clientA, settings, Clock.systemUTC(), new SimpleMeterRegistry(),
              new LvsOperator.Election("replica-a", false));
          LvsOperator b = new LvsOperator(clientB, settings, Clock.systemUTC(), new SimpleMeterRegistry(),
              new LvsOperator.Election("replica-b", false))) {
        a.start();
        await("replica-a leads and is ready").atMost(Duration.ofSeconds(60))
            .until(() -> "replica-a".equals(holder(server)) && a.ready());
        b.start();
        await("replica-b ready as a standby").atMost(Duration.ofSeconds(60)).until(b::ready);
        assertThat(holder(server)).as("the leader once both are ready").isEqualTo("replica-a");
        assertThat(server.admin().leases().inNamespace(NAMESPACE).withName("lvs-operator").get().getSpec()
            .getLeaseDurationSeconds()).as("the configured duration, as the leader wrote it").isEqualTo(13);
      }
    }
  }

  private static String holder(RealApiServer server) {
    Lease lease = server.admin().leases().inNamespace(NAMESPACE).withName("lvs-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
