package io.lvs.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.Kernel;
import io.lvs.e2e.lab.Kube;
import io.lvs.e2e.lab.Lab;
import io.lvs.e2e.lab.LabNode;
import io.lvs.e2e.lab.Manifests;
import io.lvs.e2e.lab.WebServers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Members come and go through the API: a node labelled into the pool appears in the kernel, a
 * node labelled out drains at weight 0 for the grace period before it is deleted, and no request
 * fails meanwhile. Weight changes give the convergence series (change written → kernel).
 */
@Order(5)
class ScaleE2eTest extends Scenario {
  static final String VIP = "198.18.0.205";
  static final int GRACE_SECONDS = 6;
  static final int WEIGHT_CHANGES = 8;

  @Test
  @DisplayName("scale: member added, weight changed x8, member drained (weight 0 for grace) then removed, 0 failed")
  void scaleUpAndDown(Lab lab) {
    LabNode director = lab.director();
    LabNode spare = lab.spare();
    LabNode first = lab.realServers().get(0);
    lab.kube().apply(Manifests.pair(
        Manifests.nodePool("web-scale", List.of("drain:", "  gracePeriodSeconds: " + GRACE_SECONDS)),
        Manifests.virtualService("dr-scale", VIP, "DirectRouting", "rr", "web-scale", List.of())));
    lab.await("DR service with 2 real servers", CONVERGE, () -> destinations(lab) == 2);

    try {
      Instant labelled = Instant.now();
      lab.kube().labelNode(spare.name(), Lab.WEB_LABEL, Lab.WEB_VALUE);
      lab.await(spare.name() + " in the service and VIP on its lo", CONVERGE,
          () -> dest(lab, spare).filter(d -> d.weight() == 1).isPresent() && Kernel.hasAddress(spare.ns(), "lo", VIP));
      Duration up = Duration.between(labelled, Instant.now());
      lab.results().sample("convergence: apply → rules in kernel", up);
      Client.Tally three = Client.Tally.of(Client.requests(VIP, WebServers.PORT, 6));
      assertThat(three.byServer()).as("rr over three").containsOnlyKeys("rs1", "rs2", "rs3");

      for (int i = 0; i < WEIGHT_CHANGES; i++) {
        int w = 2 + i;
        Instant t = Instant.now();
        lab.kube().apply(Manifests.nodePool("web-scale", List.of(
            "drain:", "  gracePeriodSeconds: " + GRACE_SECONDS, "weights:", "- address: " + first.address(), "  weight: " + w)));
        lab.await("weight " + w + " on " + first.name(), CONVERGE, () -> dest(lab, first).filter(d -> d.weight() == w).isPresent());
        lab.results().sample("convergence: weight change → kernel", Duration.between(t, Instant.now()));
      }

      try (Client.Loop loop = Client.continuous(VIP, WebServers.PORT, Duration.ofMillis(100), r -> {})) {
        loop.awaitAtLeast(3, Duration.ofSeconds(60));
        Instant unlabelled = Instant.now();
        lab.kube().labelNode(spare.name(), Lab.WEB_LABEL, null);
        Duration drained = lab.await(spare.name() + " drained at weight 0 (still present)", CONVERGE,
            () -> dest(lab, spare).filter(d -> d.weight() == 0).isPresent());
        lab.await(spare.name() + " removed after the grace period", CONVERGE, () -> dest(lab, spare).isEmpty());
        Duration total = Duration.between(unlabelled, Instant.now());
        loop.awaitAtLeast(loop.responses().size() + 3, Duration.ofSeconds(60));
        Client.Tally tally = loop.tally();
        assertThat(tally.failed()).as("failed requests during the graceful removal: %s", tally).isZero();
        assertThat(total).as("removal waits for the grace period").isGreaterThanOrEqualTo(Duration.ofSeconds(GRACE_SECONDS - 1L));
        lab.results().sample("convergence: apply → rules in kernel", drained);
        lab.results().figure("added in " + DirectRoutingE2eTest.seconds(up) + "; weight 0 " + DirectRoutingE2eTest.seconds(drained)
            + " after unlabel, deleted " + DirectRoutingE2eTest.seconds(total) + " after (grace " + GRACE_SECONDS + "s); "
            + tally.total() + " requests during removal, 0 failed");
      }
    } finally {
      lab.kube().labelNode(spare.name(), Lab.WEB_LABEL, null);
    }
  }

  static int destinations(Lab lab) {
    return Ipvsadm.service(lab.director().ns(), tcp(VIP, WebServers.PORT)).map(s -> s.destinations().size()).orElse(0);
  }

  static Optional<Ipvsadm.Destination> dest(Lab lab, LabNode rs) {
    return Ipvsadm.service(lab.director().ns(), tcp(VIP, WebServers.PORT)).flatMap(s -> s.destination(rs.address() + ":80"));
  }

  @Test
  @DisplayName("scale: EndpointSlice endpoint flipped not-ready drains (weight 0, then removed), ready again returns")
  void endpointSliceReadinessFlip(Lab lab) {
    LabNode flipped = lab.realServers().get(1);
    lab.kube().apply("""
        apiVersion: v1
        kind: Service
        metadata:
          name: web-svc
          namespace: %s
        spec:
          clusterIP: None
          ports:
          - name: http
            port: 80
            protocol: TCP
        """.formatted(Kube.NAMESPACE));
    lab.kube().apply(slice(lab, true));
    lab.kube().apply(Manifests.pair("""
        apiVersion: lvs.io/v1alpha1
        kind: RealServerPool
        metadata:
          name: web-eps
        spec:
          serviceRef:
            name: web-svc
            port: 80
          drain:
            gracePeriodSeconds: %d
        """.formatted(GRACE_SECONDS),
        Manifests.virtualService("dr-eps", VIP, "DirectRouting", "rr", "web-eps", List.of())));
    try {
      lab.await("both endpoints in the service", CONVERGE, () -> destinations(lab) == 2
          && dest(lab, flipped).filter(d -> d.weight() == 1).isPresent());
      Instant flip = Instant.now();
      lab.kube().apply(slice(lab, false));
      Duration drained = lab.await(flipped.name() + " at weight 0 after its endpoint went not-ready", CONVERGE,
          () -> dest(lab, flipped).filter(d -> d.weight() == 0).isPresent());
      lab.await(flipped.name() + " removed after the grace period", CONVERGE, () -> dest(lab, flipped).isEmpty());
      Duration removed = Duration.between(flip, Instant.now());
      lab.results().sample("convergence: EndpointSlice change → kernel", drained);

      Instant back = Instant.now();
      lab.kube().apply(slice(lab, true));
      lab.await(flipped.name() + " back after its endpoint is ready again", CONVERGE,
          () -> dest(lab, flipped).filter(d -> d.weight() == 1).isPresent());
      Duration returned = Duration.between(back, Instant.now());
      lab.results().sample("convergence: EndpointSlice change → kernel", returned);
      Client.Tally tally = Client.Tally.of(Client.requests(VIP, WebServers.PORT, 4));
      assertThat(tally.failed()).isZero();
      lab.results().figure("not-ready → weight 0 in " + DirectRoutingE2eTest.seconds(drained) + ", removed "
          + DirectRoutingE2eTest.seconds(removed) + " (grace " + GRACE_SECONDS + "s); ready → back in " + DirectRoutingE2eTest.seconds(returned));
    } finally {
      lab.kube().client().genericKubernetesResources("discovery.k8s.io/v1", "EndpointSlice").inNamespace(Kube.NAMESPACE)
          .withName("web-svc-lab").delete();
      lab.kube().client().services().inNamespace(Kube.NAMESPACE).withName("web-svc").delete();
    }
  }

  /** The slice an EndpointSlice controller would write for rs1 and rs2 (1.20 has none running here). */
  static String slice(Lab lab, boolean secondReady) {
    StringBuilder b = new StringBuilder("""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: web-svc-lab
          namespace: %s
          labels:
            kubernetes.io/service-name: web-svc
        addressType: IPv4
        ports:
        - name: http
          port: 80
          protocol: TCP
        endpoints:
        """.formatted(Kube.NAMESPACE));
    for (int i = 0; i < lab.realServers().size(); i++) {
      LabNode rs = lab.realServers().get(i);
      boolean ready = i == 0 || secondReady;
      b.append("- addresses: [\"").append(rs.address()).append("\"]\n")
          .append("  nodeName: ").append(rs.name()).append('\n')
          .append("  conditions: {ready: ").append(ready).append(", serving: ").append(ready).append(", terminating: false}\n");
    }
    return b.toString();
  }
}
