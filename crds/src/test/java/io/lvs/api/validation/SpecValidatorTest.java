package io.lvs.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one rule set, case by case: each invalid spec is refused with an error that names the field
 * (and its value when there is one); valid specs pass. Cases go in as the YAML a user would apply,
 * and, where the Java types can hold them, also as typed objects (the operator's path), which must
 * give the same answer.
 */
class SpecValidatorTest {
  private static final SpecValidator VALIDATOR = new SpecValidator();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final String VS_BASE =
      """
      vip: 198.18.0.100
      ports: [{port: 80, protocol: TCP}]
      forwarding: DirectRouting
      scheduler: rr
      realServerPoolRef: {name: web}
      directors: {nodeSelector: {lvs.io/director: "true"}}
      """;
  private static final String NC_BASE =
      """
      nodeSelector: {lvs.io/director: "true"}
      timeouts: {tcpSeconds: 600, tcpFinSeconds: 60, udpSeconds: 120}
      """;
  private static final String RSP_BASE =
      """
      static: [{address: 198.18.1.1, port: 80}]
      """;

  /** name, object, expected path, expected message part; shared with CrdSchemaApiServerTest. */
  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        // --- VirtualService: schema
        vs("port above 65535", "ports: [{port: 70000}]", "spec.ports[0].port", "spec.ports[0].port: 70000 must be <= 65535"),
        vs("port 0", "ports: [{port: 0}]", "spec.ports[0].port", "0 must be >= 1"),
        vs("targetPort above 65535", "forwarding: NAT\nports: [{port: 80, targetPort: 65536}]", "spec.ports[0].targetPort", "65536 must be <= 65535"),
        vs("IPv4 octet above 255", "vip: 10.0.0.300", "spec.vip", "\"10.0.0.300\" must be an IPv4 or IPv6 literal"),
        vs("IPv6 with a zone", "vip: fe80::1%eth0", "spec.vip", "must be an IPv4 or IPv6 literal"),
        vs("a host name as vip", "vip: web.example.com", "spec.vip", "must be an IPv4 or IPv6 literal"),
        vs("unknown forwarding mode", "forwarding: DR", "spec.forwarding", "\"DR\" must be one of DirectRouting, FullNAT, NAT, Tunnel"),
        vs("unknown scheduler", "scheduler: roundrobin", "spec.scheduler", "\"roundrobin\" must be one of"),
        vs("unknown protocol", "ports: [{port: 80, protocol: ICMP}]", "spec.ports[0].protocol", "must be one of SCTP, TCP, UDP"),
        vs("forwarding missing", "forwarding: null", "spec.forwarding", "spec.forwarding: required"),
        vs("pool missing", "realServerPoolRef: null", "spec.realServerPoolRef", "spec.realServerPoolRef: required"),
        vs("directors missing", "directors: null", "spec.directors", "spec.directors: required"),
        vs("pool name not a DNS name", "realServerPoolRef: {name: Web_1}", "spec.realServerPoolRef.name", "\"Web_1\" must match"),
        vs("port as a string", "ports: [{port: eighty}]", "spec.ports[0].port", "\"eighty\" must be of type integer"),
        vs("unknown field", "vips: [198.18.0.1]", "spec.vips", "is an unknown field"),
        vs("no ports at all", "ports: []", "spec.ports", "must have at least 1 items"),
        vs("fwmark 0", "vip: null\nports: null\nfwmark: 0\nfwmarkMatch: [{address: 198.18.0.100}]", "spec.fwmark", "0 must be >= 1"),
        vs("fwmark above 32 bits", "vip: null\nports: null\nfwmark: 4294967296\nfwmarkMatch: [{address: 198.18.0.100}]", "spec.fwmark", "must be <= 4294967295"),
        vs("unknown scheduler flag", "scheduler: sh\nschedulerFlags: [sh-random]", "spec.schedulerFlags[0]", "must be one of mh-fallback, mh-port, sh-fallback, sh-port"),
        vs("three scheduler flags", "scheduler: sh\nschedulerFlags: [sh-port, sh-fallback, sh-port]", "spec.schedulerFlags", "must have at most 2 items"),
        vs("persistence timeout 0", "persistence: {timeoutSeconds: 0}", "spec.persistence.timeoutSeconds", "0 must be >= 1"),
        vs("persistence without timeout", "persistence: {netmaskPrefixLength: 24}", "spec.persistence.timeoutSeconds", "required"),
        vs("tunnel type vxlan", "forwarding: Tunnel\ntunnelType: vxlan", "spec.tunnelType", "\"vxlan\" must match"),
        vs("vip interface name too long", "directors: {vipInterface: averyveryverylongname}", "spec.directors.vipInterface", "must match"),
        // --- VirtualService: CEL
        vs("vip and fwmark", "fwmark: 1", "spec", "exactly one of the two"),
        vs("fwmark without fwmarkMatch", "vip: null\nports: null\nfwmark: 1", "spec.fwmarkMatch", "set both or neither"),
        vs("fwmarkMatch without fwmark", "fwmarkMatch: [{address: 198.18.0.100}]", "spec.fwmarkMatch", "set both or neither"),
        vs("fwmarkMatch IPv6 address in an IPv4 service", "vip: null\nports: null\nfwmark: 1\nfwmarkMatch: [{address: \"2001:db8::1\"}]", "spec.fwmarkMatch", "of the service's family"),
        vs("fwmarkMatch CIDR with DirectRouting", "vip: null\nports: null\nfwmark: 1\nfwmarkMatch: [{address: 198.18.4.0/24}]", "spec.fwmarkMatch", "DirectRouting and Tunnel need single addresses"),
        vs("fwmarkMatch prefix beyond 32", "vip: null\nports: null\nfwmark: 1\nfwmarkMatch: [{address: 198.18.4.0/33}]", "spec.fwmarkMatch[0].address", "\"198.18.4.0/33\" must match"),
        vs("fwmarkMatch without address", "vip: null\nports: null\nfwmark: 1\nfwmarkMatch: [{protocol: UDP}]", "spec.fwmarkMatch[0].address", "required"),
        vs("fwmarkMatch port range backwards", "vip: null\nports: null\nfwmark: 1\nfwmarkMatch: [{address: 198.18.0.100, ports: [{port: 90, endPort: 80}]}]", "spec.fwmarkMatch[0].ports[0].endPort", "endPort must be at least port"),
        vs("fwmarkMatch port 0", "vip: null\nports: null\nfwmark: 1\nfwmarkMatch: [{address: 198.18.0.100, ports: [{port: 0}]}]", "spec.fwmarkMatch[0].ports[0].port", "0 must be >= 1"),
        vs("neither vip nor fwmark", "vip: null\nports: null", "spec", "exactly one of the two"),
        vs("vip without ports", "ports: null", "spec.ports", "spec.ports: required when vip is set"),
        vs("DR rewriting the port", "ports: [{port: 80, targetPort: 8080}]", "spec.ports", "targetPort must equal port"),
        vs("Tunnel rewriting the port", "forwarding: Tunnel\nports: [{port: 80, targetPort: 8080}]", "spec.ports", "only NAT and FullNAT can rewrite the port"),
        vs("one-packet on TCP", "onePacket: true", "spec.onePacket", "true is invalid: one-packet scheduling applies to UDP ports only"),
        vs("sh flag with rr", "schedulerFlags: [sh-port]", "spec.schedulerFlags", "sh-* flags need scheduler sh"),
        vs("mh flag with sh", "scheduler: sh\nschedulerFlags: [mh-fallback]", "spec.schedulerFlags", "mh-* flags need scheduler mh"),
        vs("IPv4 netmask /33", "persistence: {timeoutSeconds: 300, netmaskPrefixLength: 33}", "spec.persistence.netmaskPrefixLength", "33 is invalid: at most 32 for an IPv4 vip"),
        vs("IPv6 netmask /0", "vip: \"2001:db8::10\"\npersistence: {timeoutSeconds: 60, netmaskPrefixLength: 0}", "spec.persistence.netmaskPrefixLength", "0 is invalid: at least 1 for an IPv6 service"),
        vs("same port twice", "ports: [{port: 80}, {port: 80, protocol: TCP}]", "spec.ports", "each port and protocol pair may appear only once"),
        vs("tunnel type without Tunnel", "forwarding: NAT\ntunnelType: ipip", "spec.tunnelType", "only Tunnel forwarding has a tunnelType"),
        vs("family with a vip", "family: IPv6", "spec.family", "only a fwmark service takes a family"),
        vs("publishService on a fwmark service", "vip: null\nports: null\nfwmark: 1\nfwmarkMatch: [{address: 198.18.0.100}]\npublishService: true",
            "spec.publishService", "true is invalid: publishing a Service needs a vip"),
        vs("in-cluster access nodes Everywhere", "inClusterAccess: {nodes: Everywhere}", "spec.inClusterAccess.nodes",
            "must be one of All, None, Selected"),
        vs("in-cluster access without nodes", "inClusterAccess: {}", "spec.inClusterAccess.nodes", "required"),
        vs("in-cluster Selected without a selector", "inClusterAccess: {nodes: Selected}",
            "spec.inClusterAccess.nodeSelector", "nodeSelector is required with nodes Selected"),
        vs("in-cluster All with a selector", "inClusterAccess: {nodes: All, nodeSelector: {a: b}}",
            "spec.inClusterAccess.nodeSelector", "refused otherwise"),
        vs("in-cluster Selected with an empty selector", "inClusterAccess: {nodes: Selected, nodeSelector: {}}",
            "spec.inClusterAccess.nodeSelector", "an empty nodeSelector selects no node"),
        vs("in-cluster access on a fwmark service",
            "vip: null\nports: null\nfwmark: 1\nfwmarkMatch: [{address: 198.18.0.100}]\ninClusterAccess: {nodes: All}",
            "spec.inClusterAccess", "needs an IPv4 vip"),
        vs("in-cluster access on an IPv6 vip", "vip: \"2001:db8::10\"\ninClusterAccess: {nodes: All}",
            "spec.inClusterAccess", "needs an IPv4 vip"),
        // --- RealServerPool: schema
        rsp("static address not an IP", "static: [{address: 300.1.1.1, port: 80}]", "spec.static[0].address", "\"300.1.1.1\" must be an IPv4 or IPv6 literal"),
        rsp("static port 0", "static: [{address: 198.18.1.1, port: 0}]", "spec.static[0].port", "0 must be >= 1"),
        rsp("static member without port", "static: [{address: 198.18.1.1}]", "spec.static[0].port", "spec.static[0].port: required"),
        rsp("static weight above 65535", "static: [{address: 198.18.1.1, port: 80, weight: 70000}]", "spec.static[0].weight", "70000 must be <= 65535"),
        rsp("negative default weight", "defaultWeight: -1", "spec.defaultWeight", "-1 must be >= 0"),
        rsp("weight override on a bad address", "weights: [{address: 1.2.3, weight: 1}]", "spec.weights[0].address", "must be an IPv4 or IPv6 literal"),
        rsp("health check type ICMP", "healthCheck: {type: ICMP}", "spec.healthCheck.type", "must be one of HTTP, TCP"),
        rsp("health check path without slash", "healthCheck: {type: HTTP, path: healthz}", "spec.healthCheck.path", "\"healthz\" must match"),
        rsp("health check interval 0", "healthCheck: {type: TCP, intervalSeconds: 0}", "spec.healthCheck.intervalSeconds", "0 must be >= 1"),
        rsp("expected status 600", "healthCheck: {type: HTTP, expectedStatus: 600}", "spec.healthCheck.expectedStatus", "600 must be <= 599"),
        rsp("negative grace period", "drain: {gracePeriodSeconds: -1}", "spec.drain.gracePeriodSeconds", "-1 must be >= 0"),
        rsp("service name with capitals", "serviceRef: {name: My-Service}", "spec.serviceRef.name", "must be a DNS-1123 label"),
        rsp("pod selector without labels", "podSelector: {matchLabels: {}, port: 8080}", "spec.podSelector.matchLabels", "must have at least 1 properties"),
        rsp("node member address type PodIP", "nodeSelector: {matchLabels: {a: b}, port: 80, addressType: PodIP}", "spec.nodeSelector.addressType", "\"PodIP\" must be one of ExternalIP, InternalIP"),
        // --- RealServerPool: CEL
        rsp("no member source", "static: null\ndefaultWeight: 1", "spec", "at least one member source is required"),
        rsp("same static member twice", "static: [{address: 198.18.1.1, port: 80}, {address: 198.18.1.1, port: 80, weight: 3}]", "spec.static", "each address and port may appear only once"),
        rsp("path on a TCP check", "healthCheck: {type: TCP, path: /healthz}", "spec.healthCheck.path", "only HTTP health checks have a path"),
        rsp("expected status on a TCP check", "healthCheck: {type: TCP, expectedStatus: 204}", "spec.healthCheck.expectedStatus", "only HTTP health checks have an expectedStatus"),
        rsp("timeout longer than interval", "healthCheck: {type: TCP, intervalSeconds: 2, timeoutSeconds: 5}", "spec.healthCheck.timeoutSeconds", "5 is invalid: must not exceed intervalSeconds"),
        rsp("service port and port name", "serviceRef: {name: web, port: 80, portName: http}", "spec.serviceRef", "set port or portName, not both"),
        rsp("lower threshold above upper", "connectionLimits: {upper: 10, lower: 20}", "spec.connectionLimits.lower", "20 is invalid: must not exceed upper"),
        // --- LvsNodeConfig: schema
        nc("tcp timeout 0 (the kernel's leave-unchanged)", "timeouts: {tcpSeconds: 0}", "spec.timeouts.tcpSeconds", "spec.timeouts.tcpSeconds: 0 must be >= 1"),
        nc("udp timeout beyond the kernel's INT_MAX/HZ", "timeouts: {udpSeconds: 2147484}", "spec.timeouts.udpSeconds", "2147484 must be <= 2147483"),
        nc("tcpfin timeout as a duration string", "timeouts: {tcpFinSeconds: 2m}", "spec.timeouts.tcpFinSeconds", "\"2m\" must be of type integer"),
        nc("timeouts missing", "timeouts: null", "spec.timeouts", "spec.timeouts: required"),
        nc("node selector missing", "nodeSelector: null", "spec.nodeSelector", "spec.nodeSelector: required"),
        nc("unknown timeout", "timeouts: {tcpSeconds: 60, sctpSeconds: 60}", "spec.timeouts.sctpSeconds", "is an unknown field"),
        // --- LvsNodeConfig: CEL
        nc("no timeout at all", "timeouts: {}", "spec.timeouts", "at least one of tcpSeconds, tcpFinSeconds, udpSeconds is required"));
  }

  static Stream<Arguments> validSpecs() {
    return Stream.of(
        vsOk("DR rr (the base)", ""),
        vsOk("NAT wrr with a port rewrite", "forwarding: NAT\nscheduler: wrr\nports: [{port: 80, targetPort: 8080}]"),
        vsOk("FullNAT", "forwarding: FullNAT\nports: [{name: http, port: 80, targetPort: 8080}, {name: https, port: 443}]"),
        vsOk("Tunnel with ipip and targetPort equal to port", "forwarding: Tunnel\ntunnelType: ipip\nports: [{port: 80, targetPort: 80}]"),
        vsOk("persistence", "persistence: {timeoutSeconds: 300, netmaskPrefixLength: 24}"),
        vsOk("a published DNS name", "publishService: true"),
        vsOk("in-cluster access on all nodes", "inClusterAccess: {nodes: All}"),
        vsOk("in-cluster access on selected nodes", "inClusterAccess: {nodes: Selected, nodeSelector: {lvs/clients: \"true\"}}"),
        vsOk("in-cluster access None on IPv6", "vip: \"2001:db8::10\"\ninClusterAccess: {nodes: None}"),
        vsOk("same port on TCP and UDP", "ports: [{port: 53}, {port: 53, protocol: UDP}]"),
        vsOk("one-packet UDP", "ports: [{port: 53, protocol: UDP}]\nonePacket: true"),
        vsOk("sh with flags", "scheduler: sh\nschedulerFlags: [sh-fallback, sh-port]"),
        vsOk("mh with a flag", "scheduler: mh\nschedulerFlags: [mh-port]"),
        vsOk("IPv6 vip with /64 persistence", "vip: \"2001:db8::10\"\npersistence: {timeoutSeconds: 60, netmaskPrefixLength: 64}"),
        vsOk("IPv4-mapped IPv6 vip", "vip: \"::ffff:198.18.0.1\""),
        vsOk("fwmark IPv6", "vip: null\nports: null\nfwmark: 7\nfamily: IPv6\nfwmarkMatch: [{address: \"2001:db8::10/128\"}]"),
        vsOk("fwmark at the 32-bit limit", "vip: null\nports: null\nfwmark: 4294967295\nfwmarkMatch: [{address: 198.18.0.100, protocol: TCP, ports: [{port: 80}, {port: 8000, endPort: 8100}]}]"),
        vsOk("fwmark two VIPs, UDP and TCP", "vip: null\nports: null\nfwmark: 1\nfwmarkMatch: [{address: 198.18.0.100, ports: [{port: 80}]}, {address: 198.18.0.101/32, protocol: UDP}]"),
        vsOk("fwmark NAT on a CIDR", "vip: null\nports: null\nforwarding: NAT\nfwmark: 1\nfwmarkMatch: [{address: 198.18.4.0/24}]"),
        rspOk("static members", ""),
        rspOk("service, pods and nodes", "serviceRef: {name: web, portName: http}\npodSelector: {matchLabels: {app: web}, port: 8080}\nnodeSelector: {matchLabels: {role: rs}, port: 80, addressType: ExternalIP}"),
        rspOk("IPv6 static member", "static: [{address: \"2001:db8::1\", port: 80, weight: 3}]"),
        rspOk("same address on two ports", "static: [{address: 198.18.1.1, port: 80}, {address: 198.18.1.1, port: 81}]"),
        ncOk("all three timeouts", ""),
        ncOk("only tcp, every node", "nodeSelector: {}\ntimeouts: {tcpSeconds: 2147483}"),
        rspOk("HTTP check, drain, limits, weights", "healthCheck: {type: HTTP, path: /healthz, expectedStatus: 204, intervalSeconds: 5, timeoutSeconds: 5}\ndrain: {gracePeriodSeconds: 0}\nconnectionLimits: {upper: 0, lower: 5}\nweights: [{address: 198.18.1.1, weight: 0}]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void invalidSpecIsRejectedNamingTheField(String name, JsonNode object, String path, String message) {
    List<FieldError> errors = VALIDATOR.validate(object);

    assertThat(errors).as(name).isNotEmpty();
    assertThat(errors)
        .as("%s: errors %s", name, errors)
        .anySatisfy(e -> {
          assertThat(e.path()).isEqualTo(path);
          assertThat(e.message()).contains(message);
        });
    sameAnswerThroughTheJavaTypes(object, errors);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validSpecs")
  void validSpecIsAccepted(String name, JsonNode object) {
    assertThat(VALIDATOR.validate(object)).as(name).isEmpty();
    sameAnswerThroughTheJavaTypes(object, List.of());
  }

  @Test
  void everyErrorIsReportedNotJustTheFirst() {
    JsonNode object = vsObject("vip: 1.2.3.4.5\nports: [{port: 0}, {port: 99999}]\nscheduler: fast");
    assertThat(VALIDATOR.validate(object))
        .extracting(FieldError::path)
        .containsExactlyInAnyOrder("spec.vip", "spec.ports[0].port", "spec.ports[1].port", "spec.scheduler");
  }

  @Test
  void celRulesRunOnlyOnWellTypedValues() {
    // a type error below spec keeps spec's rules from running on garbage, as on the API server
    JsonNode object = vsObject("fwmark: 3\nports: [{port: x}]");
    assertThat(VALIDATOR.validate(object))
        .extracting(FieldError::source)
        .containsOnly(FieldError.Source.SCHEMA);
  }

  @Test
  void specItselfIsRequired() {
    ObjectNode object = (ObjectNode) vsObject("");
    object.remove("spec");
    assertThat(VALIDATOR.validate(object)).extracting(FieldError::message).containsExactly("spec: required");
  }

  @Test
  void aSchemaKeywordTheValidatorDoesNotEnforceIsRefusedAtConstruction() throws Exception {
    JsonNode crd = YAML.readTree(getClass().getClassLoader().getResourceAsStream(CrdSchema.RESOURCE_DIR + "virtualservices.lvs.io-v1.yml"));
    ObjectNode spec = (ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/vip");
    spec.put("format", "ipv4");
    CrdSchema edited = CrdSchema.parse(crd, "v1alpha1");
    CrdSchema pools = CrdSchema.load("realserverpools.lvs.io", "v1alpha1");
    assertThatThrownBy(() -> new SpecValidator(edited, pools))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vip: schema keyword format");
  }

  @Test
  void aCelRuleThatDoesNotCompileIsRefusedAtConstruction() throws Exception {
    JsonNode crd = YAML.readTree(getClass().getClassLoader().getResourceAsStream(CrdSchema.RESOURCE_DIR + "realserverpools.lvs.io-v1.yml"));
    ObjectNode rule = (ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations/0");
    rule.put("rule", "self.static.all(m, ");
    CrdSchema edited = CrdSchema.parse(crd, "v1alpha1");
    CrdSchema services = CrdSchema.load("virtualservices.lvs.io", "v1alpha1");
    assertThatThrownBy(() -> new SpecValidator(services, edited))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CEL rule does not compile");
  }

  @Test
  void aCelRuleNamingAFieldTheSchemaLacksIsRefusedAtConstruction() throws Exception {
    // self is typed from the schema, as on the API server: a typo cannot make a rule vacuous
    JsonNode crd = YAML.readTree(getClass().getClassLoader().getResourceAsStream(CrdSchema.RESOURCE_DIR + "virtualservices.lvs.io-v1.yml"));
    ObjectNode rule = (ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations/0");
    rule.put("rule", "has(self.fwmrak) != has(self.vip)");
    CrdSchema edited = CrdSchema.parse(crd, "v1alpha1");
    CrdSchema pools = CrdSchema.load("realserverpools.lvs.io", "v1alpha1");
    assertThatThrownBy(() -> new SpecValidator(edited, pools))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fwmrak");
  }

  @Test
  void aCelRuleComparingMismatchedTypesIsRefusedAtConstruction() throws Exception {
    JsonNode crd = YAML.readTree(getClass().getClassLoader().getResourceAsStream(CrdSchema.RESOURCE_DIR + "virtualservices.lvs.io-v1.yml"));
    ObjectNode rule = (ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations/0");
    rule.put("rule", "!has(self.fwmark) || self.fwmark == 'one'");
    CrdSchema edited = CrdSchema.parse(crd, "v1alpha1");
    CrdSchema pools = CrdSchema.load("realserverpools.lvs.io", "v1alpha1");
    assertThatThrownBy(() -> new SpecValidator(edited, pools))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CEL rule does not compile");
  }

  /**
   * The operator validates typed objects: same answer through the Java types. A valid object must
   * map onto them (else the operator could not read what the API server accepts); only an invalid
   * one may fail to, when its mistake is a wrong type or an unknown field that only raw YAML can carry.
   */
  private static void sameAnswerThroughTheJavaTypes(JsonNode object, List<FieldError> expected) {
    Class<?> type = switch (object.path("kind").asText()) {
      case "VirtualService" -> VirtualService.class;
      case "LvsNodeConfig" -> LvsNodeConfig.class;
      default -> RealServerPool.class;
    };
    Object typed;
    try {
      typed = STRICT.treeToValue(object, type);
    } catch (Exception cannotBeTyped) {
      if (expected.isEmpty()) {
        throw new AssertionError("a valid " + type.getSimpleName() + " does not map onto the Java types: "
            + cannotBeTyped.getMessage(), cannotBeTyped);
      }
      return;
    }
    List<FieldError> viaTypes = typed instanceof VirtualService v ? VALIDATOR.validate(v)
        : typed instanceof LvsNodeConfig c ? VALIDATOR.validate(c) : VALIDATOR.validate((RealServerPool) typed);
    assertThat(viaTypes).extracting(FieldError::message).containsExactlyInAnyOrderElementsOf(
        expected.stream().map(FieldError::message).toList());
    List<FieldError> viaSpec = typed instanceof VirtualService v ? VALIDATOR.validate(v.getSpec())
        : typed instanceof LvsNodeConfig c ? VALIDATOR.validate(c.getSpec()) : VALIDATOR.validate(((RealServerPool) typed).getSpec());
    assertThat(viaSpec).isEqualTo(viaTypes);
  }

  private static Arguments vs(String name, String override, String path, String message) {
    return Arguments.of(name, vsObject(override), path, message);
  }

  private static Arguments rsp(String name, String override, String path, String message) {
    return Arguments.of(name, rspObject(override), path, message);
  }

  private static Arguments nc(String name, String override, String path, String message) {
    return Arguments.of(name, ncObject(override), path, message);
  }

  private static Arguments ncOk(String name, String override) {
    return Arguments.of(name, ncObject(override));
  }

  static JsonNode ncObject(String override) {
    return object("LvsNodeConfig", NC_BASE, override);
  }

  private static Arguments vsOk(String name, String override) {
    return Arguments.of(name, vsObject(override));
  }

  private static Arguments rspOk(String name, String override) {
    return Arguments.of(name, rspObject(override));
  }

  static JsonNode vsObject(String override) {
    return object("VirtualService", VS_BASE, override);
  }

  static JsonNode rspObject(String override) {
    return object("RealServerPool", RSP_BASE, override);
  }

  /** The base spec with the override's keys replaced (a null value removes the key). */
  private static JsonNode object(String kind, String base, String override) {
    try {
      ObjectNode spec = (ObjectNode) YAML.readTree(base);
      JsonNode o = YAML.readTree(override.isBlank() ? "{}" : override);
      o.properties().forEach(e -> {
        if (e.getValue().isNull()) {
          spec.remove(e.getKey());
        } else {
          spec.set(e.getKey(), e.getValue());
        }
      });
      ObjectNode object = YAML.createObjectNode();
      object.put("apiVersion", "lvs.io/v1alpha1").put("kind", kind);
      ObjectNode meta = object.putObject("metadata").put("name", "t");
      if (!kind.equals("LvsNodeConfig")) { // cluster-scoped
        meta.put("namespace", "default");
      }
      object.set("spec", spec);
      return object;
    } catch (Exception e) {
      throw new IllegalArgumentException(override, e);
    }
  }
}
