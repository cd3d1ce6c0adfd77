package io.lvs.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every CEL rule of the shipped VirtualService and RealServerPool CRDs, broken once each on
 * kube-apiserver 1.20.2 as shipped: the server drops {@code x-kubernetes-validations} (no CEL
 * before 1.25) and stores the object unchanged, and the operator refuses it itself, with a status
 * condition naming the field and its value. The list of cases is checked against the CRDs, so a
 * new rule without a case here fails this test.
 */
class CelWithoutServerApiServerTest {
  @RegisterExtension static final OperatorRun RUN = OperatorRun.onKubernetes120AsShipped();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path CRDS = Path.of(System.getProperty("user.dir")).getParent().resolve("crds");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String NS = "cel";
  private static final String VS_BASE = """
      {vip: 198.18.50.1, ports: [{port: 80}], forwarding: DirectRouting, scheduler: rr,
       realServerPoolRef: {name: web}, directors: {nodeSelector: {lvs/cel-director: "true"}}}""";
  private static final String RSP_BASE = "{static: [{address: 198.18.52.1, port: 80}]}";

  /** One broken object: what changes from the base, and what the operator must say about it. */
  record Case(String kind, String name, String change, String says) {}

  static List<Case> cases() {
    return List.of(
        vs("vip-and-fwmark", "{fwmark: 1, fwmarkMatch: [{address: 198.18.50.2}]}", "spec: {"),
        vs("vip-without-ports", "{ports: null}", "spec.ports: required when vip is set"),
        vs("dr-rewrites-port", "{ports: [{port: 80, targetPort: 8080}]}", "spec.ports: [{\"port\":80"),
        vs("one-packet-on-tcp", "{onePacket: true}", "spec.onePacket: true is invalid"),
        vs("sh-flag-with-rr", "{schedulerFlags: [sh-port]}", "spec.schedulerFlags: [\"sh-port\"] is invalid"),
        vs("ipv4-netmask-33", "{persistence: {timeoutSeconds: 300, netmaskPrefixLength: 33}}",
            "spec.persistence.netmaskPrefixLength: 33 is invalid"),
        vs("ipv6-netmask-0", "{vip: \"2001:db8::50\", persistence: {timeoutSeconds: 60, netmaskPrefixLength: 0}}",
            "spec.persistence.netmaskPrefixLength: 0 is invalid"),
        vs("same-port-twice", "{ports: [{port: 80}, {port: 80, protocol: TCP}]}", "spec.ports: [{\"port\":80"),
        vs("tunnel-type-with-nat", "{forwarding: NAT, tunnelType: ipip}", "spec.tunnelType: \"ipip\" is invalid"),
        vs("family-with-a-vip", "{family: IPv6}", "spec.family: \"IPv6\" is invalid"),
        vs("fwmark-without-match", "{vip: null, ports: null, fwmark: 7}", "spec.fwmarkMatch: fwmarkMatch says"),
        vs("match-of-other-family", "{vip: null, ports: null, fwmark: 8, fwmarkMatch: [{address: \"2001:db8::1\"}]}",
            "spec.fwmarkMatch: [{\"address\":\"2001:db8::1\""),
        vs("dr-match-on-a-cidr", "{vip: null, ports: null, fwmark: 9, fwmarkMatch: [{address: 198.18.51.0/24}]}",
            "spec.fwmarkMatch: [{\"address\":\"198.18.51.0/24\""),
        vs("end-port-below-port",
            "{vip: null, ports: null, fwmark: 10, fwmarkMatch: [{address: 198.18.51.1, ports: [{port: 90, endPort: 80}]}]}",
            "spec.fwmarkMatch[0].ports[0].endPort: 80 is invalid"),
        vs("publish-without-a-vip",
            "{vip: null, ports: null, fwmark: 11, fwmarkMatch: [{address: 198.18.51.2}], publishService: true}",
            "spec.publishService: true is invalid"),
        vs("in-cluster-selected-without-selector", "{inClusterAccess: {nodes: Selected}}",
            "spec.inClusterAccess.nodeSelector: nodeSelector is required with nodes Selected"),
        vs("in-cluster-empty-selector", "{inClusterAccess: {nodes: Selected, nodeSelector: {}}}",
            "spec.inClusterAccess.nodeSelector: {}"),
        vs("in-cluster-on-ipv6", "{vip: \"2001:db8::51\", inClusterAccess: {nodes: All}}",
            "spec.inClusterAccess: {\"nodes\":\"All\"}"),
        vs("renew-not-above-retry", failover("renewDeadlineMillis: 400, retryPeriodMillis: 400"),
            "spec.directors.failover.renewDeadlineMillis: 400 is invalid: must be longer than retryPeriodMillis"),
        vs("lease-below-renew-plus-retry", failover("leaseDurationMillis: 2400, renewDeadlineMillis: 2300"),
            "spec.directors.failover.leaseDurationMillis: 2400 is invalid: must be longer than renewDeadlineMillis"),
        vs("lease-below-peer-plus-retry", failover("leaseDurationMillis: 3000, peerTimeoutMillis: 2800"),
            "spec.directors.failover.leaseDurationMillis: 3000 is invalid: must be longer than peerTimeoutMillis"),
        vs("heartbeat-not-below-peer", failover("heartbeatIntervalMillis: 1500"),
            "spec.directors.failover.heartbeatIntervalMillis: 1500 is invalid"),
        rsp("no-member-source", "{static: null, defaultWeight: 1}", "spec: {"),
        rsp("same-static-twice", "{static: [{address: 198.18.52.1, port: 80}, {address: 198.18.52.1, port: 80, weight: 3}]}",
            "spec.static: [{\"address\":\"198.18.52.1\""),
        rsp("lower-above-upper", "{connectionLimits: {upper: 10, lower: 20}}", "spec.connectionLimits.lower: 20 is invalid"),
        rsp("path-on-tcp-check", "{healthCheck: {type: TCP, path: /healthz}}", "spec.healthCheck.path: \"/healthz\" is invalid"),
        rsp("status-on-tcp-check", "{healthCheck: {type: TCP, expectedStatus: 204}}",
            "spec.healthCheck.expectedStatus: 204 is invalid"),
        rsp("timeout-above-interval", "{healthCheck: {type: TCP, intervalSeconds: 2, timeoutSeconds: 5}}",
            "spec.healthCheck.timeoutSeconds: 5 is invalid"),
        rsp("port-and-port-name", "{static: null, serviceRef: {name: web, port: 80, portName: http}}",
            "spec.serviceRef: {\"name\":\"web\""));
  }

  /** The base's directors with these failover timings. */
  private static String failover(String timings) {
    return "{directors: {nodeSelector: {lvs/cel-director: \"true\"}, failover: {" + timings + "}}}";
  }

  private static Case vs(String name, String change, String says) {
    return new Case("VirtualService", name, change, says);
  }

  private static Case rsp(String name, String change, String says) {
    return new Case("RealServerPool", name, change, says);
  }

  @Test
  void everyCelRuleBrokenIsStoredByTheServerAndRefusedByTheOperatorNamingFieldAndValue() throws IOException {
    KubernetesClient client = RUN.client();
    new Fixtures(client).namespace(NS);
    Map<Case, GenericKubernetesResource> sent = new LinkedHashMap<>();
    for (Case c : cases()) {
      GenericKubernetesResource r = object(c);
      GenericKubernetesResource stored = client.resource(r).create();
      // no CEL on 1.20: stored as sent, the broken field included
      JsonNode storedSpec = YAML.valueToTree(stored.getAdditionalProperties().get("spec"));
      JsonNode sentSpec = YAML.valueToTree(r.getAdditionalProperties().get("spec"));
      assertThat(storedSpec).as(c.name()).isEqualTo(sentSpec);
      sent.put(c, stored);
    }
    Map<String, String> said = new LinkedHashMap<>();
    await().atMost(WAIT).untilAsserted(() -> {
      for (Case c : cases()) {
        String msg = refusal(client, c);
        assertThat(msg).as(c.name()).isNotNull().contains(c.says());
        said.put(c.name(), msg);
      }
    });
    said.forEach((name, msg) -> System.out.printf("%s -> %s%n", name, msg));
    // every rule of both CRDs was broken by some case and the operator said its message
    Set<String> rules = celMessages("virtualservices.lvs.io-v1.yml");
    rules.addAll(celMessages("realserverpools.lvs.io-v1.yml"));
    assertThat(rules).hasSize(29);
    for (String rule : rules) {
      assertThat(said.values()).as("a case breaking the rule \"%s\"", rule).anyMatch(m -> m.contains(rule));
    }
  }

  /** The operator's refusal: VirtualService Ready=False InvalidSpec, pool Degraded=True "invalid spec". */
  private static String refusal(KubernetesClient client, Case c) {
    if (c.kind().equals("VirtualService")) {
      VirtualService vs = client.resources(VirtualService.class).inNamespace(NS).withName(c.name()).get();
      Condition ready = vs.getStatus() == null ? null : find(vs.getStatus().conditions(), "Ready");
      return ready != null && "False".equals(ready.getStatus()) && "InvalidSpec".equals(ready.getReason())
          ? ready.getMessage() : null;
    }
    RealServerPool p = client.resources(RealServerPool.class).inNamespace(NS).withName(c.name()).get();
    Condition degraded = p.getStatus() == null ? null : find(p.getStatus().conditions(), "Degraded");
    return degraded != null && "True".equals(degraded.getStatus()) && degraded.getMessage().startsWith("invalid spec: ")
        ? degraded.getMessage() : null;
  }

  private static Condition find(List<Condition> conditions, String type) {
    return conditions == null ? null : conditions.stream().filter(x -> type.equals(x.getType())).findFirst().orElse(null);
  }

  private static GenericKubernetesResource object(Case c) throws IOException {
    ObjectNode spec = (ObjectNode) YAML.readTree(c.kind().equals("VirtualService") ? VS_BASE : RSP_BASE);
    YAML.readTree(c.change()).fields().forEachRemaining(e -> {
      if (e.getValue().isNull()) {
        spec.remove(e.getKey());
      } else {
        spec.set(e.getKey(), e.getValue());
      }
    });
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion("lvs.io/v1alpha1");
    r.setKind(c.kind());
    r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(NS).withName(c.name()).build());
    r.setAdditionalProperty("spec", YAML.convertValue(spec, Map.class));
    return r;
  }

  /** The message of every x-kubernetes-validations rule in one shipped CRD. */
  private static Set<String> celMessages(String file) throws IOException {
    Set<String> out = new TreeSet<>();
    collect(YAML.readTree(CRDS.resolve(file).toFile()), out);
    return out;
  }

  private static void collect(JsonNode node, Set<String> out) {
    for (JsonNode rule : node.path("x-kubernetes-validations")) {
      out.add(rule.path("message").asText());
    }
    List<JsonNode> children = new ArrayList<>();
    node.elements().forEachRemaining(children::add);
    children.forEach(child -> collect(child, out));
  }
}
