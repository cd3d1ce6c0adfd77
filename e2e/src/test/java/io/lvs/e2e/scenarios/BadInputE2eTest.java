package io.lvs.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lvs.e2e.lab.Client;
import io.lvs.e2e.lab.Ipvsadm;
import io.lvs.e2e.lab.Kube;
import io.lvs.e2e.lab.Lab;
import io.lvs.e2e.lab.Manifests;
import io.lvs.e2e.lab.WebServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Bad input never reaches the kernel: a catalogue of invalid or conflicting resources, each
 * rejected by the real API server's schema (message naming the field) or accepted by the schema
 * and reported by the operator in a condition naming the field, while a valid service keeps
 * serving a request loop without a single failure.
 */
@Order(11)
class BadInputE2eTest extends Scenario {
  static final String VIP = "198.18.0.211";

  /** One bad resource and the field its rejection or condition must name. */
  record Case(String name, String kind, String yaml, String field) {}

  @Test
  @DisplayName("bad input: >= 20 invalid resources rejected by schema or reported naming the field; valid traffic uninterrupted")
  void badInputCatalogue(Lab lab) {
    lab.kube().apply(Manifests.pair(
        Manifests.nodePool("web-valid", List.of()),
        Manifests.virtualService("dr-valid", VIP, "DirectRouting", "rr", "web-valid", List.of())));
    lab.await("the valid service programmed", CONVERGE, () -> Ipvsadm.service(lab.director().ns(), tcp(VIP, WebServers.PORT))
        .filter(s -> s.destinations().size() == 2).isPresent());
    String validTable = Ipvsadm.save(lab.director().ns());

    List<String> rejected = new ArrayList<>();
    List<String> reported = new ArrayList<>();
    try (Client.Loop loop = Client.continuous(VIP, WebServers.PORT, Duration.ofMillis(200), r -> {})) {
      loop.awaitAtLeast(2, Duration.ofSeconds(60));
      for (Case c : schemaCases()) {
        try {
          lab.kube().create(c.yaml());
          throw new AssertionError(c.name() + ": accepted by the API server, expected a schema rejection naming " + c.field());
        } catch (KubernetesClientException e) {
          assertThat(e.getCode()).as("%s: HTTP status", c.name()).isEqualTo(422);
          assertThat(e.getMessage()).as("%s: rejection names the field", c.name()).contains(c.field());
          rejected.add(c.name());
        }
      }
      List<Case> semantic = operatorCases();
      for (Case c : semantic) {
        lab.kube().create(c.yaml());
      }
      for (Case c : semantic) {
        lab.await(c.name() + ": a condition of " + c.kind() + " naming " + c.field(), CONVERGE,
            () -> lab.kube().conditions(c.kind(), c.name()).stream().anyMatch(k -> k.message().contains(c.field())),
            () -> "conditions: " + lab.kube().conditions(c.kind(), c.name()));
        reported.add(c.name());
      }
      // the valid service is untouched; the one VirtualService that is valid but names a missing
      // pool is programmed as a service with no real servers (as kube-proxy does for a Service
      // without endpoints) and reports PoolNotFound; nothing else reaches the kernel
      List<String> before = validTable.lines().toList();
      List<String> after = Ipvsadm.save(lab.director().ns()).lines().toList();
      assertThat(after).as("director's IPVS table still holds the valid service unchanged").containsAll(before);
      assertThat(after.stream().filter(l -> !before.contains(l)).toList())
          .as("director's IPVS table: besides the valid service, only the missing pool's empty service")
          .allMatch(l -> l.startsWith("-A -t " + MISSING_POOL_VIP + ":80 "));
      loop.awaitAtLeast(loop.responses().size() + 2, Duration.ofSeconds(60));
      Client.Tally tally = loop.tally();
      assertThat(tally.failed()).as("valid traffic during the catalogue: %s", tally).isZero();
      assertThat(rejected.size() + reported.size()).isGreaterThanOrEqualTo(20);
      lab.results().figure(rejected.size() + " rejected by schema, " + reported.size() + " reported by the operator; "
          + tally.total() + " valid requests, 0 failed");
    }
  }

  static List<Case> schemaCases() {
    List<Case> cases = new ArrayList<>();
    vs(cases, "bad-vip-octet", "vip: 300.1.1.1", "spec.vip");
    vs(cases, "bad-vip-word", "vip: not-an-ip", "spec.vip");
    cases.add(new Case("bad-port-zero", "VirtualService", vsYaml("bad-port-zero", List.of("vip: 198.18.0.250",
        "ports:", "- port: 0", "forwarding: DirectRouting", "realServerPoolRef: {name: web-valid}", directors())), "spec.ports.port"));
    cases.add(new Case("bad-port-high", "VirtualService", vsYaml("bad-port-high", List.of("vip: 198.18.0.250",
        "ports:", "- port: 70000", "forwarding: DirectRouting", "realServerPoolRef: {name: web-valid}", directors())), "spec.ports.port"));
    cases.add(new Case("bad-protocol", "VirtualService", vsYaml("bad-protocol", List.of("vip: 198.18.0.250",
        "ports:", "- {port: 80, protocol: ICMP}", "forwarding: DirectRouting", "realServerPoolRef: {name: web-valid}", directors())),
        "spec.ports.protocol"));
    cases.add(new Case("bad-port-name", "VirtualService", vsYaml("bad-port-name", List.of("vip: 198.18.0.250",
        "ports:", "- {port: 80, name: Bad_Name}", "forwarding: DirectRouting", "realServerPoolRef: {name: web-valid}", directors())),
        "spec.ports.name"));
    cases.add(new Case("bad-no-ports-items", "VirtualService", vsYaml("bad-no-ports-items", List.of("vip: 198.18.0.250",
        "ports: []", "forwarding: DirectRouting", "realServerPoolRef: {name: web-valid}", directors())), "spec.ports"));
    vs(cases, "bad-scheduler", "scheduler: fastest", "spec.scheduler");
    cases.add(new Case("bad-forwarding", "VirtualService", vsYaml("bad-forwarding", List.of("vip: 198.18.0.250",
        "ports:", "- port: 80", "forwarding: Magic", "realServerPoolRef: {name: web-valid}", directors())), "spec.forwarding"));
    cases.add(new Case("bad-no-forwarding", "VirtualService", vsYaml("bad-no-forwarding", List.of("vip: 198.18.0.250",
        "ports:", "- port: 80", "realServerPoolRef: {name: web-valid}", directors())), "spec.forwarding"));
    cases.add(new Case("bad-no-pool", "VirtualService", vsYaml("bad-no-pool", List.of("vip: 198.18.0.250",
        "ports:", "- port: 80", "forwarding: DirectRouting", directors())), "spec.realServerPoolRef"));
    cases.add(new Case("bad-no-directors", "VirtualService", vsYaml("bad-no-directors", List.of("vip: 198.18.0.250",
        "ports:", "- port: 80", "forwarding: DirectRouting", "realServerPoolRef: {name: web-valid}")), "spec.directors"));
    vs(cases, "bad-persist-zero", "persistence: {timeoutSeconds: 0}", "spec.persistence.timeoutSeconds");
    vs(cases, "bad-persist-mask", "persistence: {timeoutSeconds: 60, netmaskPrefixLength: 200}", "spec.persistence.netmaskPrefixLength");
    vs(cases, "bad-tunnel-type", "tunnelType: vxlan", "spec.tunnelType");
    cases.add(new Case("bad-vip-interface", "VirtualService", vsYaml("bad-vip-interface", List.of("vip: 198.18.0.250",
        "ports:", "- port: 80", "forwarding: DirectRouting", "realServerPoolRef: {name: web-valid}",
        "directors: {nodeSelector: {" + Lab.DIRECTOR_LABEL + ": \"" + Lab.DIRECTOR_VALUE + "\"}, vipInterface: an-interface-name-too-long}")),
        "spec.directors.vipInterface"));
    cases.add(new Case("bad-fwmark", "VirtualService", vsYaml("bad-fwmark", List.of("fwmark: 0", "forwarding: DirectRouting",
        "realServerPoolRef: {name: web-valid}", directors())), "spec.fwmark"));
    pool(cases, "bad-static-address", "static: [{address: 198.18.0.256, port: 80}]", "spec.static.address");
    pool(cases, "bad-static-port", "static: [{address: 198.18.0.11, port: 0}]", "spec.static.port");
    pool(cases, "bad-default-weight", "defaultWeight: 70000", "spec.defaultWeight");
    pool(cases, "bad-hc-type", "healthCheck: {type: PING}", "spec.healthCheck.type");
    pool(cases, "bad-hc-interval", "healthCheck: {type: TCP, intervalSeconds: 0}", "spec.healthCheck.intervalSeconds");
    pool(cases, "bad-weight-address", "weights: [{address: bogus, weight: 2}]", "spec.weights.address");
    pool(cases, "bad-drain", "drain: {gracePeriodSeconds: -5}", "spec.drain.gracePeriodSeconds");
    cases.add(new Case("bad-node-port", "RealServerPool", poolYaml("bad-node-port",
        List.of("nodeSelector: {matchLabels: {" + Lab.WEB_LABEL + ": \"" + Lab.WEB_VALUE + "\"}}")), "spec.nodeSelector.port"));
    return cases;
  }

  static final String MISSING_POOL_VIP = "198.18.0.252";

  /** Schema-valid on 1.20 (its CRDs carry no CEL), so the operator must catch them. */
  static List<Case> operatorCases() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("semantic-dr-target-port", "VirtualService", vsYaml("semantic-dr-target-port", List.of(
        "vip: 198.18.0.251", "ports:", "- {port: 80, targetPort: 8080}", "forwarding: DirectRouting",
        "realServerPoolRef: {name: web-valid}", directors())), "targetPort"));
    cases.add(new Case("semantic-duplicate-vip", "VirtualService", vsYaml("semantic-duplicate-vip", List.of(
        "vip: " + VIP, "ports:", "- port: 80", "forwarding: DirectRouting", "scheduler: wrr",
        "realServerPoolRef: {name: web-valid}", directors())), "dr-valid"));
    cases.add(new Case("semantic-missing-pool", "VirtualService", vsYaml("semantic-missing-pool", List.of(
        "vip: " + MISSING_POOL_VIP, "ports:", "- port: 80", "forwarding: DirectRouting",
        "realServerPoolRef: {name: no-such-pool}", directors())), "no-such-pool"));
    cases.add(new Case("semantic-vip-and-fwmark", "VirtualService", vsYaml("semantic-vip-and-fwmark", List.of(
        "vip: 198.18.0.253", "fwmark: 7", "ports:", "- port: 80", "forwarding: DirectRouting",
        "realServerPoolRef: {name: web-valid}", directors())), "fwmark"));
    cases.add(new Case("semantic-missing-service", "RealServerPool", poolYaml("semantic-missing-service",
        List.of("serviceRef: {name: no-such-service, port: 80}")), "no-such-service"));
    return cases;
  }

  private static void vs(List<Case> cases, String name, String badLine, String field) {
    List<String> lines = new ArrayList<>(List.of("vip: 198.18.0.250", "ports:", "- port: 80", "forwarding: DirectRouting",
        "realServerPoolRef: {name: web-valid}", directors()));
    String key = badLine.substring(0, badLine.indexOf(':'));
    lines.removeIf(l -> l.startsWith(key + ":"));
    lines.add(badLine);
    cases.add(new Case(name, "VirtualService", vsYaml(name, lines), field));
  }

  private static void pool(List<Case> cases, String name, String badLine, String field) {
    cases.add(new Case(name, "RealServerPool", poolYaml(name, List.of(
        "nodeSelector: {matchLabels: {" + Lab.WEB_LABEL + ": \"" + Lab.WEB_VALUE + "\"}, port: 80}", badLine)), field));
  }

  private static String directors() {
    return "directors: {nodeSelector: {" + Lab.DIRECTOR_LABEL + ": \"" + Lab.DIRECTOR_VALUE + "\"}}";
  }

  static String vsYaml(String name, List<String> spec) {
    return "apiVersion: " + Kube.API_VERSION + "\nkind: VirtualService\nmetadata:\n  name: " + name + "\nspec:\n"
        + String.join("\n", spec.stream().map(l -> "  " + l).toList()) + "\n";
  }

  static String poolYaml(String name, List<String> spec) {
    return "apiVersion: " + Kube.API_VERSION + "\nkind: RealServerPool\nmetadata:\n  name: " + name + "\nspec:\n"
        + String.join("\n", spec.stream().map(l -> "  " + l).toList()) + "\n";
  }
}
