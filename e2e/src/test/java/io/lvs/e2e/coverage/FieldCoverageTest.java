package io.lvs.e2e.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.lvs.agent.ipvs.IpvsCodec;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.runtime.NodeStateTranslator;
import io.lvs.agent.runtime.Translation;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.api.validation.CrdSchema;
import io.lvs.api.validation.SpecValidator;
import io.lvs.operator.apply.PlanInputs;
import io.lvs.operator.plan.ClusterPlan;
import io.lvs.operator.plan.NodeStatePlanner;
import io.lvs.operator.plan.NodeView;
import io.lvs.operator.plan.ServiceInput;
import io.lvs.operator.resolve.DrainState;
import io.lvs.operator.resolve.MemberDrainer;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberResolver;
import io.lvs.operator.resolve.MemberSource;
import io.lvs.operator.resolve.PoolInputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * No spec field is silently dropped. Every leaf of the VirtualService and RealServerPool spec
 * schemas (the checked-in CRDs) is either
 *
 * <ul>
 *   <li>a {@link #REACHES_THE_NODE} case: set to a valid non-default value, it changes what the
 *       agent would program on some node, or
 *   <li>a {@link #NO_DATAPLANE_EFFECT} entry, with the reason, whose variant provably changes
 *       nothing there (so the entry goes stale the day the field gains an effect).
 * </ul>
 *
 * "What the agent would program" is the pure pipeline end to end: the operator's member
 * resolution, drain and planner give each node's LvsNodeState spec, the agent's translator turns it
 * into its desired state, and the IPVS services and destinations of that are compared as the
 * netlink attributes the agent's codec sends (IPVS_CMD_NEW_SERVICE / NEW_DEST payloads); addresses,
 * links, sysctls, SNAT rules, fwmark marking rules and health targets as translated; HA VIP
 * candidacies (two or more directors) as planned, the agent's election taking them as they are. A schema field with neither a case nor an entry fails {@link #everySpecFieldIsCovered}.
 */
class FieldCoverageTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String NS = "shop";
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final String VS = "VirtualService.";
  private static final String POOL = "RealServerPool.";
  private static final SpecValidator VALIDATOR = new SpecValidator();

  /** A VirtualService (NAT, one TCP port) over a pool of one static member, and a second pool. */
  private static final String BASE =
      """
      vs:
        vip: 198.18.10.1
        ports: [{port: 80}]
        forwarding: NAT
        realServerPoolRef: {name: pool}
        directors: {nodeSelector: {lvs/director: "true"}}
      pools:
        pool:
          static: [{address: 198.18.5.1, port: 8080}]
        other:
          static: [{address: 198.18.6.1, port: 8080}]
      """;

  /** One case: the field, a patch on BASE without it (or at another value), and the patch that sets it. */
  private record Case(String field, String base, String variant) {}

  /** A field without dataplane effect, why, and a case proving its variant changes nothing there. */
  private record NoEffect(Case c, String reason) {}

  private static Case vs(String field, String base, String set) {
    return new Case(VS + "spec." + field, "{vs: " + base + "}", "{vs: " + set + "}");
  }

  private static Case pool(String field, String base, String set) {
    return new Case(POOL + "spec." + field, "{pools: {pool: " + base + "}}", "{pools: {pool: " + set + "}}");
  }

  /** The base as a fwmark service marking traffic to its VIP (any port), and to its port 80 only. */
  private static final String FWMARK = "{vip: null, ports: null, fwmark: 7, fwmarkMatch: [{address: 198.18.10.1}]}";
  private static final String FWMARK_PORT =
      "{vip: null, ports: null, fwmark: 7, fwmarkMatch: [{address: 198.18.10.1, ports: [{port: 80}]}]}";

  /** The base with two directors (d1 and d2 both carry lvs/pair): their agents elect the VIP's holder. */
  private static final String HA = "{directors: {nodeSelector: {lvs/director: null, lvs/pair: \"true\"}}}";

  private static final List<Case> REACHES_THE_NODE =
      List.of(
          vs("vip", "{}", "{vip: 198.18.10.2}"),
          vs("ports[].port", "{}", "{ports: [{port: 81}]}"),
          vs("ports[].protocol", "{}", "{ports: [{port: 80, protocol: UDP}]}"),
          vs("ports[].targetPort", "{}", "{ports: [{port: 80, targetPort: 8081}]}"),
          vs("fwmark", "{}", "{vip: null, ports: null, fwmark: 7, fwmarkMatch: [{address: 198.18.10.1}]}"),
          vs("family", FWMARK, "{family: IPv6, fwmarkMatch: [{address: \"2001:db8::10\"}]}"),
          vs("fwmarkMatch[].address", FWMARK, "{fwmarkMatch: [{address: 198.18.10.0/24}]}"),
          vs("fwmarkMatch[].protocol", FWMARK, "{fwmarkMatch: [{address: 198.18.10.1, protocol: UDP}]}"),
          vs("fwmarkMatch[].ports[].port", FWMARK_PORT, "{fwmarkMatch: [{address: 198.18.10.1, ports: [{port: 81}]}]}"),
          vs("fwmarkMatch[].ports[].endPort", FWMARK_PORT,
              "{fwmarkMatch: [{address: 198.18.10.1, ports: [{port: 80, endPort: 90}]}]}"),
          vs("forwarding", "{}", "{forwarding: DirectRouting}"),
          vs("scheduler", "{}", "{scheduler: rr}"),
          vs("schedulerFlags", "{scheduler: sh}", "{schedulerFlags: [sh-port]}"),
          vs("persistence.timeoutSeconds", "{}", "{persistence: {timeoutSeconds: 300}}"),
          vs("persistence.netmaskPrefixLength", "{persistence: {timeoutSeconds: 300}}",
              "{persistence: {netmaskPrefixLength: 24}}"),
          vs("onePacket", "{ports: [{port: 53, protocol: UDP}]}", "{onePacket: true}"),
          vs("realServerPoolRef.name", "{}", "{realServerPoolRef: {name: other}}"),
          vs("directors.nodeSelector", "{}", "{directors: {nodeSelector: {lvs/director: null, lvs/standby: \"true\"}}}"),
          vs("directors.vipInterface", "{}", "{directors: {vipInterface: eth1}}"),
          vs("directors.preferred", HA, "{directors: {preferred: d2}}"),
          vs("directors.preempt", HA, "{directors: {preempt: false}}"),
          vs("directors.failover.leaseDurationMillis", HA, "{directors: {failover: {leaseDurationMillis: 4000}}}"),
          vs("directors.failover.renewDeadlineMillis", HA, "{directors: {failover: {renewDeadlineMillis: 1000}}}"),
          vs("directors.failover.retryPeriodMillis", HA, "{directors: {failover: {retryPeriodMillis: 300}}}"),
          vs("directors.failover.peerTimeoutMillis", HA, "{directors: {failover: {peerTimeoutMillis: 1000}}}"),
          vs("directors.failover.heartbeatIntervalMillis", HA, "{directors: {failover: {heartbeatIntervalMillis: 200}}}"),
          vs("directors.announce.count", HA, "{directors: {announce: {count: 5}}}"),
          vs("directors.announce.intervalMillis", HA, "{directors: {announce: {intervalMillis: 100}}}"),
          vs("directors.connectionSync", HA, "{directors: {connectionSync: false}}"),
          vs("tunnelType", "{forwarding: Tunnel}", "{tunnelType: gre}"),
          vs("inClusterAccess.nodes", "{}", "{inClusterAccess: {nodes: All}}"),
          vs("inClusterAccess.nodeSelector", "{inClusterAccess: {nodes: Selected, nodeSelector: {lvs/web: \"true\"}}}",
              "{inClusterAccess: {nodeSelector: {lvs/web: null, lvs/web2: \"true\"}}}"),
          pool("serviceRef.name", "{serviceRef: {name: web, port: 8080}}", "{serviceRef: {name: web2}}"),
          pool("serviceRef.port", "{serviceRef: {name: web, port: 8080}}", "{serviceRef: {port: 9090}}"),
          pool("serviceRef.portName", "{serviceRef: {name: web, port: 8080}}", "{serviceRef: {port: null, portName: metrics}}"),
          pool("podSelector.matchLabels", "{podSelector: {matchLabels: {app: web}, port: 8080}}",
              "{podSelector: {matchLabels: {app: web2}}}"),
          pool("podSelector.port", "{podSelector: {matchLabels: {app: web}, port: 8080}}", "{podSelector: {port: 8081}}"),
          pool("nodeSelector.matchLabels", "{nodeSelector: {matchLabels: {lvs/web: \"true\"}, port: 8080}}",
              "{nodeSelector: {matchLabels: {lvs/web: null, lvs/web2: \"true\"}}}"),
          pool("nodeSelector.port", "{nodeSelector: {matchLabels: {lvs/web: \"true\"}, port: 8080}}",
              "{nodeSelector: {port: 8081}}"),
          pool("nodeSelector.addressType", "{nodeSelector: {matchLabels: {lvs/web: \"true\"}, port: 8080}}",
              "{nodeSelector: {addressType: ExternalIP}}"),
          pool("static[].address", "{}", "{static: [{address: 198.18.5.2, port: 8080}]}"),
          pool("static[].port", "{}", "{static: [{address: 198.18.5.1, port: 8081}]}"),
          pool("static[].weight", "{}", "{static: [{address: 198.18.5.1, port: 8080, weight: 5}]}"),
          pool("defaultWeight", "{}", "{defaultWeight: 3}"),
          pool("weights[].address", "{weights: [{address: 198.18.5.9, weight: 7}]}",
              "{weights: [{address: 198.18.5.1, weight: 7}]}"),
          pool("weights[].weight", "{weights: [{address: 198.18.5.1, weight: 7}]}",
              "{weights: [{address: 198.18.5.1, weight: 8}]}"),
          pool("connectionLimits.upper", "{}", "{connectionLimits: {upper: 100}}"),
          pool("connectionLimits.lower", "{connectionLimits: {upper: 100}}", "{connectionLimits: {lower: 10}}"),
          // a member that served before and has left: default 30 s at weight 0, with 0 gone at once
          pool("drain.gracePeriodSeconds", "{}", "{drain: {gracePeriodSeconds: 0}}"),
          pool("healthCheck.type", "{}", "{healthCheck: {type: TCP}}"),
          pool("healthCheck.port", "{healthCheck: {type: TCP}}", "{healthCheck: {port: 9000}}"),
          pool("healthCheck.path", "{healthCheck: {type: HTTP}}", "{healthCheck: {path: /healthz}}"),
          pool("healthCheck.expectedStatus", "{healthCheck: {type: HTTP}}", "{healthCheck: {expectedStatus: 204}}"),
          pool("healthCheck.intervalSeconds", "{healthCheck: {type: TCP}}", "{healthCheck: {intervalSeconds: 10}}"),
          pool("healthCheck.timeoutSeconds", "{healthCheck: {type: TCP}}", "{healthCheck: {timeoutSeconds: 1}}"),
          pool("healthCheck.riseThreshold", "{healthCheck: {type: TCP}}", "{healthCheck: {riseThreshold: 5}}"),
          pool("healthCheck.fallThreshold", "{healthCheck: {type: TCP}}", "{healthCheck: {fallThreshold: 5}}"));

  /** Reviewed: these fields are for people and status, never for the kernel. */
  private static final List<NoEffect> NO_DATAPLANE_EFFECT =
      List.of(
          new NoEffect(
              vs("ports[].name", "{}", "{ports: [{port: 80, name: http}]}"),
              "a label for people and tools; IPVS services have no names (ipvsadm has no such option)"),
          new NoEffect(
              vs("publishService", "{}", "{publishService: true}"),
              "a DNS name for the VIP: the operator keeps a headless Service and an EndpointSlice in the"
                  + " VirtualService's namespace (ServicePublisher, PublishServiceApiServerTest); no node's state changes"));

  @Test
  void everySpecFieldIsCovered() {
    TreeSet<String> schema = new TreeSet<>();
    schema.addAll(leaves(VS, CrdSchema.load("virtualservices.lvs.io", "v1alpha1")));
    schema.addAll(leaves(POOL, CrdSchema.load("realserverpools.lvs.io", "v1alpha1")));
    TreeSet<String> covered = new TreeSet<>();
    REACHES_THE_NODE.forEach(c -> assertThat(covered.add(c.field())).as("%s twice", c.field()).isTrue());
    NO_DATAPLANE_EFFECT.forEach(n -> assertThat(covered.add(n.c().field())).as("%s twice", n.c().field()).isTrue());
    assertThat(schema).as("schema leaves: each needs a case in REACHES_THE_NODE or an entry in NO_DATAPLANE_EFFECT")
        .containsExactlyElementsOf(covered);
    assertThat(schema).hasSizeGreaterThan(40); // the walk found the real schemas, not an empty one
  }

  @Test
  void eachFieldSetToAValidValueChangesWhatSomeNodePrograms() {
    List<String> dropped = new ArrayList<>();
    for (Case c : REACHES_THE_NODE) {
      Run base = run(c, false);
      Run set = run(c, true);
      if (base.nodes().equals(set.nodes())) {
        dropped.add(c.field());
      }
    }
    assertThat(dropped).as("fields that are accepted but change nothing any node programs").isEmpty();
  }

  @Test
  void fieldsWithoutDataplaneEffectChangeNothingAnyNodePrograms() {
    for (NoEffect n : NO_DATAPLANE_EFFECT) {
      assertThat(n.reason()).isNotBlank();
      assertThat(run(n.c(), true).nodes()).as(n.c().field()).isEqualTo(run(n.c(), false).nodes());
    }
  }

  @Test
  void theBaseProgramsTheDirectorAndTheLeavingMemberDrains() {
    Run base = run(new Case("", "{}", "{}"), false);
    assertThat(base.nodes()).containsOnlyKeys("d1");
    assertThat(base.nodes().get("d1").ipvsRequests()).hasSize(3); // the service and its two destinations
    var services = base.translations().get("d1").desired().services().values();
    assertThat(services).singleElement().satisfies(s -> {
      assertThat(s.service().scheduler()).isEqualTo("wlc");
      assertThat(s.destinations().values()).extracting(d -> d.destination().key().address().getHostAddress(),
          d -> d.destination().weight(), d -> d.draining())
          .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("198.18.5.1", 1, false),
              org.assertj.core.groups.Tuple.tuple("198.18.5.9", 0, true));
    });
  }

  @Test
  void onePacketReachesIpvsAsIpVsSvcFOnepacket() {
    Case c = REACHES_THE_NODE.stream().filter(x -> x.field().endsWith("spec.onePacket")).findFirst().orElseThrow();
    int onePacket = 0x0004; // IP_VS_SVC_F_ONEPACKET in linux/ip_vs.h
    var without = run(c, false).translations().get("d1").desired().services().values();
    var with = run(c, true).translations().get("d1").desired().services().values();
    assertThat(without).singleElement().satisfies(s -> assertThat(s.service().flags() & onePacket).isZero());
    assertThat(with).singleElement().satisfies(s -> assertThat(s.service().flags() & onePacket).isEqualTo(onePacket));
  }

  @Test
  void fwmarkMatchReachesTheDirectorAsAMarkingRuleCarryingTheServicesMark() {
    Case c = REACHES_THE_NODE.stream().filter(x -> x.field().endsWith("spec.fwmarkMatch[].ports[].endPort"))
        .findFirst().orElseThrow();
    var d1 = run(c, true).translations().get("d1").desired();
    assertThat(d1.marks()).singleElement().satisfies(m -> {
      assertThat(m.mark()).isEqualTo(7);
      assertThat(m.network().getHostAddress()).isEqualTo("198.18.10.1");
      assertThat(m.prefixLength()).isEqualTo(32);
      assertThat(m.port()).isEqualTo(80);
      assertThat(m.endPort()).isEqualTo(90);
    });
    assertThat(d1.services().keySet()).singleElement().asString().contains("7"); // the fwmark service it feeds
    assertThat(run(new Case("", "{}", "{}"), false).translations().get("d1").desired().marks()).isEmpty();
  }

  @Test
  void inClusterAccessReachesEachSelectedNodeAsAClientsFwmarkServiceAndALocalOnlyMark() {
    Case c = REACHES_THE_NODE.stream().filter(x -> x.field().endsWith("spec.inClusterAccess.nodes")).findFirst()
        .orElseThrow();
    Run on = run(c, true);
    assertThat(on.nodes()).containsOnlyKeys("d1", "d2", "w1", "w2");
    on.translations().forEach((node, t) -> {
      assertThat(t.desired().marks()).as(node).singleElement().satisfies(m -> {
        assertThat(m.clientsUplink()).isEqualTo("eth0"); // the interface holding the node's InternalIP
        assertThat(m.network().getHostAddress()).isEqualTo("198.18.10.1");
      });
      assertThat(t.desired().services().keySet()).as(node).anySatisfy(k -> assertThat(k.isFwmark()).isTrue());
    });
  }

  /** Per node, the agent's translation of what the operator planned for it, and its IPVS requests. */
  private record Run(Map<String, Translation> translations, Map<String, NodeOutput> nodes) {}

  /**
   * What reaches one node's kernel: each IPVS service and destination as the netlink attributes
   * the agent sends (so a field the codec dropped counts as dropped), then the other objects.
   */
  private record NodeOutput(List<String> ipvsRequests, Object addresses, Object links, Object sysctls, Object snat,
      Object marks, Object healthTargets, Object vipCandidates) {
    static NodeOutput of(Translation t, Object vipCandidates) {
      List<String> ipvs = new ArrayList<>();
      t.desired().services().values().forEach(s -> {
        AttrWriter w = new AttrWriter();
        IpvsCodec.writeService(w, s.key(), s.service());
        ipvs.add(HexFormat.of().formatHex(w.toArray()));
        s.destinations().values().forEach(d -> {
          AttrWriter dw = new AttrWriter();
          IpvsCodec.writeDestination(dw, d.destination().key(), d.kernelDestination());
          ipvs.add("  " + HexFormat.of().formatHex(dw.toArray()));
        });
      });
      var d = t.desired();
      return new NodeOutput(ipvs, d.addresses(), d.links(), d.sysctls(), d.snat(), d.marks(), t.healthTargets(), vipCandidates);
    }
  }

  /**
   * BASE, then the case's base patch, then (when {@code variant}) its variant patch: checked
   * valid, resolved, drained, planned and translated.
   */
  private static Run run(Case c, boolean variant) {
    JsonNode world = merge(yaml(BASE), yaml(c.base()));
    JsonNode before = world;
    if (variant) {
      world = merge(world, yaml(c.variant()));
      if (!c.field().isEmpty()) {
        assertThat(values(world, c.field())).as("the variant of %s sets it", c.field())
            .isNotEqualTo(values(before, c.field()));
      }
    }
    VirtualServiceSpec vsSpec = read(world.get("vs"), VirtualServiceSpec.class);
    assertThat(VALIDATOR.validate(vsSpec)).as("%s: the VirtualService is valid", c.field()).isEmpty();
    String poolName = vsSpec.realServerPoolRef().name();
    RealServerPoolSpec poolSpec = read(world.get("pools").get(poolName), RealServerPoolSpec.class);
    assertThat(VALIDATOR.validate(poolSpec)).as("%s: the pool is valid", c.field()).isEmpty();

    MemberResolver.Resolved resolved = new MemberResolver().resolve(NS, poolSpec, INPUTS);
    assertThat(resolved.errors()).as(c.field()).isEmpty();
    MemberDrainer.Result drained = new MemberDrainer().step(resolved.members(), LEFT, NOW, MemberDrainer.grace(poolSpec));
    VirtualService vs = new VirtualService();
    vs.setMetadata(meta("web"));
    vs.setSpec(vsSpec);
    RealServerPool pool = new RealServerPool();
    pool.setMetadata(meta(poolName));
    pool.setSpec(poolSpec);
    ServiceInput input = PlanInputs.of(vs, Optional.of(pool), drained.members(), spec -> List.of());
    ClusterPlan plan = new NodeStatePlanner().plan(List.of(input), NODE_VIEWS, Map.of());
    assertThat(plan.services().get(NS + "/web").conflict()).isNull();
    Map<String, Translation> out = new TreeMap<>();
    plan.nodes().forEach((node, spec) -> {
      Translation t = new NodeStateTranslator().translate(spec, NodeStateTranslator.EntryPaths.PLAIN,
          NodeStateTranslator.AddressHolders.of(List.of(eth0(node))));
      assertThat(t.errors()).as("%s on %s", c.field(), node).isEmpty();
      out.put(node, t);
    });
    Map<String, NodeOutput> nodes = new TreeMap<>();
    out.forEach((node, t) -> nodes.put(node, NodeOutput.of(t, plan.nodes().get(node).vipCandidates())));
    return new Run(out, nodes);
  }

  // The cluster: directors d1 (lvs/director) and d2 (lvs/standby), both lvs/pair; real-server
  // nodes w1 and w2, each with a pod and an endpoint of Services web / web2.
  private static final List<Node> NODES =
      List.of(node("d1", "lvs/director", "198.18.0.1", "198.18.2.101"), node("d2", "lvs/standby", "198.18.0.2",
          "198.18.2.102"), node("w1", "lvs/web", "198.18.1.1", "198.18.2.1"),
          node("w2", "lvs/web2", "198.18.1.2", "198.18.2.2"));
  private static final List<NodeView> NODE_VIEWS = NODES.stream().map(NodeView::of).toList();
  private static final PoolInputs INPUTS =
      new PoolInputs(
          List.of(slice("web", "198.18.4.1", "w1", true), slice("web2", "198.18.4.2", "w2", false)),
          List.of(pod("p1", "web", "198.18.3.1", "w1"), pod("p2", "web2", "198.18.3.2", "w2")),
          NODES);
  /** A member that was serving before this resolution and is gone from it now. */
  private static final DrainState LEFT =
      new DrainState(Map.of(new io.lvs.operator.resolve.MemberKey("198.18.5.9", 8080),
          new Member("198.18.5.9", 8080, 1, MemberSource.STATIC, null, true, false)), Map.of());

  private static InterfaceAddress eth0(String node) {
    String ip = NODE_VIEWS.stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow().internalIp();
    try {
      return new InterfaceAddress("eth0", InetAddress.getByName(ip), 24);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectMeta meta(String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace(NS).withCreationTimestamp("2026-01-01T00:00:00Z")
        .withUid(name + "-uid").build();
  }

  private static Node node(String name, String label, String internal, String external) {
    Map<String, String> labels = name.startsWith("d") ? Map.of(label, "true", "lvs/pair", "true") : Map.of(label, "true");
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewStatus().addNewAddress().withType("InternalIP").withAddress(internal).endAddress()
        .addNewAddress().withType("ExternalIP").withAddress(external).endAddress()
        .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
  }

  private static Pod pod(String name, String app, String ip, String node) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withLabels(Map.of("app", app))
        .endMetadata().withNewSpec().withNodeName(node).endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip)
        .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
  }

  /** The Service's slice: port 8080 (named http) and, for web, 9090 (named metrics). */
  private static EndpointSlice slice(String service, String ip, String node, boolean metrics) {
    var b = new EndpointSliceBuilder().withNewMetadata().withName(service + "-x").withNamespace(NS)
        .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
    if (metrics) {
      b.addNewPort().withName("metrics").withPort(9090).withProtocol("TCP").endPort();
    }
    return b.addNewEndpoint().withAddresses(ip).withNodeName(node).endEndpoint().build();
  }

  /** Leaf paths of a CRD's spec: scalars, lists of scalars and maps; objects and lists of objects are walked. */
  static List<String> leaves(String kind, CrdSchema crd) {
    List<String> out = new ArrayList<>();
    walk(crd.property("spec"), kind + "spec", out);
    return out;
  }

  private static void walk(JsonNode schema, String path, List<String> out) {
    String type = schema.path("type").asText();
    if (type.equals("object") && schema.has("properties")) {
      schema.get("properties").properties().forEach(e -> walk(e.getValue(), path + "." + e.getKey(), out));
    } else if (type.equals("array") && schema.path("items").path("type").asText().equals("object")) {
      walk(schema.get("items"), path + "[]", out);
    } else {
      out.add(path);
    }
  }

  /** The values at a leaf path ("VirtualService.spec.ports[].protocol") of the world's VirtualService or pool. */
  private static List<String> values(JsonNode world, String field) {
    boolean vs = field.startsWith(VS);
    String rest = field.substring((vs ? VS : POOL).length() + "spec.".length());
    List<JsonNode> at = List.of(vs ? world.get("vs") : world.get("pools").get("pool"));
    for (String segment : rest.split("\\.")) {
      boolean list = segment.endsWith("[]");
      String name = list ? segment.substring(0, segment.length() - 2) : segment;
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode n : at) {
        JsonNode v = n.path(name);
        if (list) {
          v.forEach(next::add);
        } else if (!v.isMissingNode()) {
          next.add(v);
        }
      }
      at = next;
    }
    return at.stream().map(JsonNode::toString).toList();
  }

  /** JSON merge patch (RFC 7386): objects merge, anything else replaces, null removes. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode out = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : YAML.createObjectNode();
    patch.properties().forEach(e -> {
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
      }
    });
    return out;
  }

  private static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T read(JsonNode node, Class<T> type) {
    try {
      return YAML.treeToValue(node, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
