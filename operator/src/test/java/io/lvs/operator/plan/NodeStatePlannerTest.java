package io.lvs.operator.plan;

import static io.lvs.operator.fixtures.Specs.director;
import static io.lvs.operator.fixtures.Specs.input;
import static io.lvs.operator.fixtures.Specs.member;
import static io.lvs.operator.fixtures.Specs.vs;
import static io.lvs.operator.fixtures.Specs.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.lvs.api.v1alpha1.Directors;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.FwmarkMatch;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeLink;
import io.lvs.api.v1alpha1.NodeMark;
import io.lvs.api.v1alpha1.NodeSnat;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.NodeVipCandidate;
import io.lvs.api.v1alpha1.PortRange;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeStatePlannerTest {
  private final NodeStatePlanner planner = new NodeStatePlanner();
  private final List<NodeView> nodes =
      List.of(director("d1", "192.168.0.1"), director("d2", "192.168.0.2"), worker("w1", "192.168.0.11"),
          worker("w2", "192.168.0.12"));

  private static List<String> sysctls(LvsNodeStateSpec s) {
    return s.sysctls().stream().map(x -> x.key() + "=" + x.value()).toList();
  }

  /** One director and three workers: the VIP's holder is the operator's choice, fenced by its Lease. */
  private final List<NodeView> solo =
      List.of(director("d1", "192.168.0.1"), worker("d2", "192.168.0.2"), worker("w1", "192.168.0.11"),
          worker("w2", "192.168.0.12"));

  @Test
  void directRoutingDirectorsGetIpvsAndElectTheHolderRealServersGetLoAndArpSysctls() {
    var plan = planner.plan(
        List.of(input("ns/web", vs("10.0.0.100", 80, Forwarding.DirectRouting, "p"), 1,
            List.of(member("192.168.0.11", 80, "w1"), member("192.168.0.12", 80, "w2"),
                new Member("192.0.2.9", 80, 4, MemberSource.STATIC, null, true, false)))),
        nodes, Map.of());
    assertThat(plan.nodes()).containsOnlyKeys("d1", "d2", "w1", "w2");
    for (String d : List.of("d1", "d2")) {
      NodeIpvsService svc = plan.nodes().get(d).services().get(0);
      assertThat(svc.owner()).isEqualTo("ns/web");
      assertThat(svc.vip()).isEqualTo("10.0.0.100");
      assertThat(svc.scheduler()).isEqualTo("rr");
      assertThat(svc.destinations()).extracting(NodeDestination::address, NodeDestination::port, NodeDestination::weight,
              NodeDestination::forwarding)
          .containsExactly(tuple("192.0.2.9", 80, 4, Forwarding.DirectRouting),
              tuple("192.168.0.11", 80, 1, Forwarding.DirectRouting),
              tuple("192.168.0.12", 80, 1, Forwarding.DirectRouting));
      assertThat(plan.nodes().get(d).sysctls()).isEmpty(); // DR directors need no forwarding
    }
    // two directors: each is a candidate, none is told to hold the VIP, no operator Lease
    for (String d : List.of("d1", "d2")) {
      assertThat(plan.nodes().get(d).addresses()).isEmpty();
      assertThat(plan.nodes().get(d).vipCandidates()).extracting(NodeVipCandidate::owner, NodeVipCandidate::address)
          .containsExactly(tuple("ns/web", "10.0.0.100"));
    }
    assertThat(plan.vipHolders()).isEmpty();
    assertThat(plan.services().get("ns/web").vipHolder()).isNull();
    LvsNodeStateSpec w1 = plan.nodes().get("w1");
    assertThat(w1.services()).isEmpty();
    assertThat(w1.addresses()).containsExactly(new NodeAddress("ns/web", "10.0.0.100", 32, "lo", false));
    assertThat(sysctls(w1)).containsExactlyInAnyOrder(
        "net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2",
        "net.ipv4.conf.lo.arp_ignore=1", "net.ipv4.conf.lo.arp_announce=2");
    assertThat(plan.services().get("ns/web").nodes()).containsExactlyInAnyOrder("d1", "d2", "w1", "w2");
  }

  private static VirtualServiceSpec withVipInterface(VirtualServiceSpec spec, String vipInterface) {
    return new VirtualServiceSpec(spec.vip(), spec.ports(), spec.fwmark(), spec.family(), spec.forwarding(),
        spec.scheduler(), spec.schedulerFlags(), spec.persistence(), spec.onePacket(), spec.realServerPoolRef(),
        new Directors(spec.directors().nodeSelector(), vipInterface), spec.tunnelType());
  }

  @Test
  void theHolderGetsTheVipOnVipInterfaceWhenSetElseOnTheInterfaceHoldingItsInternalIp() {
    VirtualServiceSpec named = vs("10.0.0.100", 80, Forwarding.DirectRouting, "p");
    var plan = planner.plan(List.of(input("ns/named", named, 1, List.of())), solo, Map.of());
    assertThat(plan.nodes().get("d1").addresses())
        .containsExactly(new NodeAddress("ns/named", "10.0.0.100", 32, "eth0", true, null));

    List<NodeView> soloD2 = List.of(worker("d1", "192.168.0.1"), director("d2", "192.168.0.2"));
    for (String unset : new String[] {null, "", " "}) {
      var p = new NodeStatePlanner().plan(
          List.of(input("ns/web", withVipInterface(named, unset), 1, List.of())), soloD2, Map.of("10.0.0.100", "d2"));
      assertThat(plan.vipHolders()).containsEntry("10.0.0.100", "d1");
      assertThat(p.vipHolders()).containsEntry("10.0.0.100", "d2");
      assertThat(p.nodes().get("d2").addresses())
          .containsExactly(new NodeAddress("ns/web", "10.0.0.100", 32, null, true, "192.168.0.2"));
      assertThat(p.nodes()).doesNotContainKey("d1");
    }
  }

  @Test
  void theDefaultInterfaceFollowsTheHoldersInternalIpAndWithoutOneTheVipGoesToLoAsBefore() {
    VirtualServiceSpec spec = withVipInterface(vs("10.0.0.100", 80, Forwarding.NAT, "p"), null);
    List<ServiceInput> in = List.of(input("ns/web", spec, 1, List.of(member("10.1.0.1", 80, "w1"))));
    var first = planner.plan(in, solo, Map.of());
    assertThat(first.nodes().get("d1").addresses()).singleElement()
        .satisfies(a -> assertThat(a.interfaceOf()).isEqualTo("192.168.0.1"));
    // NAT: send_redirects off on "all" only; the interface is not known by name here
    assertThat(sysctls(first.nodes().get("d1"))).containsExactlyInAnyOrder("net.ipv4.ip_forward=1",
        "net.ipv4.vs.conntrack=1", "net.ipv4.conf.all.send_redirects=0");

    // the same input (memoized fragment) on a holder whose InternalIP changed: the new address
    var moved = planner.plan(in, List.of(director("d1", "192.168.0.51"), worker("d2", "192.168.0.2")), Map.of());
    assertThat(moved.nodes().get("d1").addresses()).singleElement()
        .satisfies(a -> assertThat(a.interfaceOf()).isEqualTo("192.168.0.51"));

    var none = planner.plan(in, List.of(director("d1", null), worker("d2", "192.168.0.2")), Map.of());
    assertThat(none.nodes().get("d1").addresses())
        .containsExactly(new NodeAddress("ns/web", "10.0.0.100", 32, null, true, null));
  }

  @Test
  void tunnelRealServersGetTunl0WithTheVipAndRelaxedRpFilter() {
    var plan = planner.plan(
        List.of(input("ns/t", vs("10.0.0.101", 80, Forwarding.Tunnel, "p"), 1, List.of(member("192.168.0.11", 80, "w1")))),
        nodes, Map.of());
    LvsNodeStateSpec w1 = plan.nodes().get("w1");
    assertThat(w1.links()).containsExactly(new NodeLink("ns/t", "tunl0", "ipip"));
    assertThat(w1.addresses()).containsExactly(new NodeAddress("ns/t", "10.0.0.101", 32, "tunl0", false));
    assertThat(sysctls(w1)).contains("net.ipv4.conf.tunl0.rp_filter=0", "net.ipv4.conf.all.rp_filter=0",
        "net.ipv4.conf.tunl0.arp_ignore=1", "net.ipv4.conf.tunl0.arp_announce=2");
    assertThat(plan.nodes().get("d1").services().get(0).destinations())
        .extracting(NodeDestination::tunnelType).containsExactly("ipip");
  }

  @Test
  void natDirectorsForwardAndRewriteToTheTargetPortRealServersNeedNothing() {
    VirtualServiceSpec spec = vs("10.0.0.102", 80, Forwarding.NAT, "p");
    spec = new VirtualServiceSpec(spec.vip(), List.of(new ServicePort("http", 80, Protocol.TCP, 8080)), null, null,
        spec.forwarding(), spec.scheduler(), null, null, null, spec.realServerPoolRef(), spec.directors(), null);
    var plan = planner.plan(List.of(input("ns/nat", spec, 1, List.of(member("10.1.0.1", 9999, "w1")))), nodes, Map.of());
    assertThat(plan.nodes()).containsOnlyKeys("d1", "d2");
    // vs.conntrack: a firewall that drops conntrack-INVALID packets (kube-proxy's KUBE-FORWARD)
    // would drop the real servers' replies otherwise
    assertThat(sysctls(plan.nodes().get("d2"))).containsExactlyInAnyOrder("net.ipv4.ip_forward=1",
        "net.ipv4.vs.conntrack=1", "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.eth0.send_redirects=0");
    assertThat(plan.nodes().get("d2").services().get(0).destinations())
        .extracting(NodeDestination::port).containsExactly(8080);
    assertThat(plan.nodes().get("d2").snat()).isEmpty();
  }

  @Test
  void onePacketReachesTheNodeStateAsTheOnePacketFlagBesideTheSchedulerFlags() {
    VirtualServiceSpec base = vs("10.0.0.104", 53, Forwarding.NAT, "p");
    List<ServicePort> udp = List.of(new ServicePort(null, 53, Protocol.UDP, null));
    VirtualServiceSpec ops = new VirtualServiceSpec(base.vip(), udp, null, null, base.forwarding(),
        io.lvs.api.v1alpha1.Scheduler.sh, List.of(io.lvs.api.v1alpha1.SchedulerFlag.SH_PORT), null, true,
        base.realServerPoolRef(), base.directors(), null);
    VirtualServiceSpec off = new VirtualServiceSpec(base.vip(), udp, null, null, base.forwarding(), base.scheduler(),
        null, null, false, base.realServerPoolRef(), base.directors(), null);
    var plan = planner.plan(List.of(input("ns/dns", ops, 1, List.of(member("10.1.0.1", 53, "w1"))),
        input("ns/off", withVip(off, "10.0.0.105"), 2, List.of(member("10.1.0.1", 53, "w1")))), nodes, Map.of());
    assertThat(plan.nodes().get("d1").services()).extracting(NodeIpvsService::owner, NodeIpvsService::flags)
        .containsExactly(tuple("ns/dns", List.of("one-packet", "sh-port")), tuple("ns/off", null));
  }

  private static VirtualServiceSpec withVip(VirtualServiceSpec s, String vip) {
    return new VirtualServiceSpec(vip, s.ports(), s.fwmark(), s.family(), s.forwarding(), s.scheduler(),
        s.schedulerFlags(), s.persistence(), s.onePacket(), s.realServerPoolRef(), s.directors(), s.tunnelType());
  }

  @Test
  void fullNatDirectorsAddSnatToTheirOwnAddressAndConntrack() {
    var plan = planner.plan(
        List.of(input("ns/fn", vs("10.0.0.103", 443, Forwarding.FullNAT, "p"), 1,
            List.of(member("10.1.0.2", 8443, "w1"), member("10.1.0.1", 8443, "w2")))),
        nodes, Map.of());
    LvsNodeStateSpec d2 = plan.nodes().get("d2");
    assertThat(sysctls(d2)).containsExactlyInAnyOrder("net.ipv4.ip_forward=1", "net.ipv4.vs.conntrack=1");
    assertThat(d2.snat()).containsExactly(
        new NodeSnat("ns/fn", Protocol.TCP, List.of("10.1.0.1", "10.1.0.2"), 8443, "192.168.0.2"));
  }

  @Test
  void drainingMembersStayAtWeightZeroAndAreMarked() {
    var plan = planner.plan(
        List.of(input("ns/web", vs("10.0.0.100", 80, Forwarding.DirectRouting, "p"), 1,
            List.of(new Member("192.168.0.11", 80, 5, MemberSource.SERVICE, "w1", false, true)))),
        nodes, Map.of());
    assertThat(plan.nodes().get("d1").services().get(0).destinations())
        .extracting(NodeDestination::weight, NodeDestination::draining).containsExactly(tuple(0, true));
    // its node keeps the VIP on lo while connections finish
    assertThat(plan.nodes().get("w1").addresses()).hasSize(1);
  }

  @Test
  void theOlderVirtualServiceKeepsAContestedAddressTheNewerProgramsNothing() {
    var older = input("a/old", vs("10.0.0.100", 80, Forwarding.DirectRouting, "p"), 100, List.of(member("192.168.0.11", 80, "w1")));
    var newer = input("b/new", vs("10.0.0.100", 80, Forwarding.NAT, "p"), 200, List.of(member("192.168.0.12", 80, "w2")));
    var plan = planner.plan(List.of(newer, older), nodes, Map.of());
    assertThat(plan.services().get("b/new").conflict()).isEqualTo("10.0.0.100:80/TCP is held by VirtualService a/old");
    assertThat(plan.services().get("a/old").conflict()).isNull();
    assertThat(plan.nodes().values()).flatExtracting(LvsNodeStateSpec::services).extracting(NodeIpvsService::owner)
        .containsOnly("a/old");
    assertThat(plan.nodes()).doesNotContainKey("w2");
  }

  @Test
  void fwmarkConflictsAreByMarkAndFamily() {
    VirtualServiceSpec base = vs("10.0.0.100", 80, Forwarding.DirectRouting, "p");
    VirtualServiceSpec mark = new VirtualServiceSpec(null, null, 7L, null, Forwarding.DirectRouting, null, null, null,
        null, base.realServerPoolRef(), base.directors(), null);
    var plan = planner.plan(List.of(input("a/m1", mark, 1, List.of()), input("a/m2", mark, 2, List.of())), nodes, Map.of());
    assertThat(plan.services().get("a/m2").conflict()).isEqualTo("fwmark 7 IPv4 is held by VirtualService a/m1");
    assertThat(plan.nodes().get("d1").services()).extracting(NodeIpvsService::fwmark, NodeIpvsService::scheduler)
        .containsExactly(tuple(7L, "wlc"));
    assertThat(plan.nodes().get("d1").addresses()).isEmpty();
  }

  private VirtualServiceSpec fwmark(Forwarding fwd, List<FwmarkMatch> match) {
    VirtualServiceSpec base = vs("10.0.0.100", 80, fwd, "p");
    return new VirtualServiceSpec(null, null, 9L, match, null, fwd, null, null, null, null, base.realServerPoolRef(),
        base.directors(), null);
  }

  @Test
  void fwmarkDirectorsGetTheMarkingRulesAndDrRealServersEachVipOnLoWithArpSysctls() {
    var spec = fwmark(Forwarding.DirectRouting, List.of(
        new FwmarkMatch("10.0.0.100", null, List.of(new PortRange(80, null), new PortRange(8000, 8100))),
        new FwmarkMatch("10.0.0.101/32", Protocol.UDP, null)));
    var plan = planner.plan(List.of(input("ns/mark", spec, 1, List.of(member("192.168.0.11", 0, "w1")))), nodes,
        Map.of());
    for (String d : List.of("d1", "d2")) {
      assertThat(plan.nodes().get(d).marks()).containsExactly(
          new NodeMark("ns/mark", 9L, "10.0.0.100", 32, Protocol.TCP, 80, null),
          new NodeMark("ns/mark", 9L, "10.0.0.100", 32, Protocol.TCP, 8000, 8100),
          new NodeMark("ns/mark", 9L, "10.0.0.101", 32, Protocol.UDP, null, null));
      assertThat(plan.nodes().get(d).addresses()).isEmpty(); // the network routes fwmark VIPs to directors
    }
    LvsNodeStateSpec w1 = plan.nodes().get("w1");
    assertThat(w1.marks()).isNull();
    assertThat(w1.addresses()).containsExactly(new NodeAddress("ns/mark", "10.0.0.100", 32, "lo", false),
        new NodeAddress("ns/mark", "10.0.0.101", 32, "lo", false));
    assertThat(sysctls(w1)).containsExactlyInAnyOrder(
        "net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2",
        "net.ipv4.conf.lo.arp_ignore=1", "net.ipv4.conf.lo.arp_announce=2");
    assertThat(plan.nodes()).doesNotContainKey("w2");
  }

  @Test
  void fwmarkTunnelRealServersGetTheVipsOnTunl0AndNatOnesNothingWhileCidrsAreNormalised() {
    var tun = fwmark(Forwarding.Tunnel, List.of(new FwmarkMatch("10.0.0.100", Protocol.TCP, null)));
    var plan = planner.plan(List.of(input("ns/tun", tun, 1, List.of(member("192.168.0.12", 0, "w2")))), nodes,
        Map.of());
    assertThat(plan.nodes().get("w2").addresses()).containsExactly(new NodeAddress("ns/tun", "10.0.0.100", 32, "tunl0", false));
    assertThat(plan.nodes().get("w2").links()).extracting(NodeLink::name).containsExactly("tunl0");

    var nat = fwmark(Forwarding.NAT, List.of(new FwmarkMatch("10.0.7.9/24", Protocol.SCTP, null),
        new FwmarkMatch("10.0.7.0/24", Protocol.SCTP, null)));
    var p = new NodeStatePlanner().plan(List.of(input("ns/nat", nat, 1, List.of(member("192.168.0.12", 80, "w2")))),
        nodes, Map.of());
    assertThat(p.nodes().get("d1").marks())
        .containsExactly(new NodeMark("ns/nat", 9L, "10.0.7.0", 24, Protocol.SCTP, null, null));
    assertThat(p.nodes()).doesNotContainKey("w2");
  }

  @Test
  void fwmarkIpv6AddressesAreCanonicalAndHostBitsCleared() {
    assertThat(ServiceClaims.network("2001:DB8::1:2", 112)).isEqualTo("2001:db8:0:0:0:0:1:0");
    assertThat(ServiceClaims.network("::ffff:10.0.0.1", 128)).isEqualTo("0:0:0:0:0:ffff:a00:1");
    assertThat(ServiceClaims.network("10.0.255.77", 17)).isEqualTo("10.0.128.0");
    assertThat(ServiceClaims.network("10.0.255.77", 0)).isEqualTo("0.0.0.0");
  }

  @Test
  void vipHandoverIsFencedByTheLeaseNoTwoNodesHoldTheVip() {
    var svc = List.of(input("ns/web", vs("10.0.0.100", 80, Forwarding.DirectRouting, "p"), 1, List.of()));
    // lease says d2, and d2 is still the director: it keeps the VIP
    var sticky = planner.plan(svc, List.of(worker("d1", "192.168.0.1"), director("d2", "192.168.0.2")), Map.of("10.0.0.100", "d2"));
    assertThat(sticky.services().get("ns/web").vipHolder()).isEqualTo("d2");
    assertThat(sticky.nodes().get("d2").addresses()).hasSize(1);
    assertThat(sticky.nodes()).doesNotContainKey("d1");
    // the director label moves from d2 to d1: phase 1 gives the VIP to nobody and names d1 as the next holder
    var without = List.of(director("d1", "192.168.0.1"), worker("d2", "192.168.0.2"));
    var phase1 = planner.plan(svc, without, Map.of("10.0.0.100", "d2"));
    assertThat(phase1.vipHolders()).containsEntry("10.0.0.100", "d1");
    assertThat(phase1.nodes().values()).flatExtracting(LvsNodeStateSpec::addresses).isEmpty();
    // lease moved to d1: phase 2 gives it to d1 only
    var phase2 = planner.plan(svc, without, Map.of("10.0.0.100", "d1"));
    assertThat(phase2.nodes().values()).flatExtracting(LvsNodeStateSpec::addresses).extracting(NodeAddress::interfaceName)
        .containsExactly("eth0");
    assertThat(phase2.nodes().get("d1").addresses()).hasSize(1);
  }

  @Test
  void directorsAreReadyNodesMatchingTheSelectorNoneMeansNothingProgrammed() {
    var plan = planner.plan(
        List.of(input("ns/web", vs("10.0.0.100", 80, Forwarding.NAT, "p"), 1, List.of(member("10.1.0.1", 80, "w1")))),
        List.of(worker("w1", "192.168.0.11"), new NodeView("d1", Map.of("lvs/director", "true"), false, "192.168.0.1")),
        Map.of());
    assertThat(plan.nodes()).isEmpty();
    assertThat(plan.services().get("ns/web").directors()).isEmpty();
  }

  @Test
  void planningIsDeterministicWhateverTheInputOrder() {
    var a = input("ns/a", vs("10.0.0.1", 80, Forwarding.DirectRouting, "p"), 1,
        List.of(member("192.168.0.11", 80, "w1"), member("192.168.0.12", 80, "w2")));
    var b = input("ns/b", vs("10.0.0.2", 80, Forwarding.Tunnel, "p"), 2, List.of(member("192.168.0.12", 80, "w2")));
    var one = planner.plan(List.of(a, b), nodes, Map.of());
    var two = planner.plan(List.of(b, a), List.of(nodes.get(3), nodes.get(1), nodes.get(0), nodes.get(2)), Map.of());
    assertThat(one).isEqualTo(two);
    assertThat(one.nodes().get("w2").sysctls()).extracting(NodeSysctl::owner).startsWith("ns/a").endsWith("ns/b");
  }

  @Test
  void aPlannerThatRemembersFragmentsPlansExactlyAsAFreshOne() {
    var a = input("ns/a", vs("10.0.0.1", 80, Forwarding.DirectRouting, "p"), 1, List.of(member("192.168.0.11", 80, "w1")));
    var b = input("ns/b", vs("10.0.0.2", 80, Forwarding.Tunnel, "p"), 2, List.of(member("192.168.0.12", 80, "w2")));
    var b2 = input("ns/b", vs("10.0.0.2", 80, Forwarding.Tunnel, "p"), 2,
        List.of(member("192.168.0.12", 80, "w2"), member("192.168.0.11", 80, "w1")));
    NodeStatePlanner warm = new NodeStatePlanner();
    warm.plan(List.of(a, b), nodes, Map.of());
    var again = warm.plan(List.of(a, b2), nodes, Map.of());
    assertThat(again).isEqualTo(new NodeStatePlanner().plan(List.of(a, b2), nodes, Map.of()));
    assertThat(again.nodes().get("w1").addresses()).extracting(NodeAddress::owner).containsExactly("ns/a", "ns/b");
    // a node leaving changes the fragments that had a member there
    var fewer = List.of(nodes.get(0), nodes.get(1), nodes.get(3));
    assertThat(warm.plan(List.of(a, b2), fewer, Map.of())).isEqualTo(new NodeStatePlanner().plan(List.of(a, b2), fewer, Map.of()));
  }

  /**
   * The remembering planner against a fresh one through 300 random steps: members, specs,
   * VirtualServices coming and going, contested addresses, nodes going unready, leases moving.
   */
  @Test
  void aRememberingPlannerMatchesAFreshOneThroughRandomChanges() {
    java.util.Random random = new java.util.Random(20261125);
    Forwarding[] modes = {Forwarding.DirectRouting, Forwarding.NAT, Forwarding.Tunnel, Forwarding.FullNAT};
    String[] workers = {"w1", "w2", "w3"};
    java.util.Map<String, ServiceInput> services = new java.util.TreeMap<>();
    java.util.List<NodeView> cluster = new java.util.ArrayList<>(List.of(director("d1", "192.168.0.1"),
        director("d2", "192.168.0.2"), worker("w1", "192.168.0.11"), worker("w2", "192.168.0.12"), worker("w3", "192.168.0.13")));
    java.util.Map<String, String> leases = new java.util.HashMap<>();
    NodeStatePlanner warm = new NodeStatePlanner();
    int compared = 0;
    for (int step = 0; step < 300; step++) {
      String key = "ns/vs" + random.nextInt(8);
      ServiceInput old = services.get(key);
      switch (random.nextInt(7)) {
        case 0, 1 -> { // members change (same spec object, as when only the pool's endpoints move)
          if (old != null) {
            List<Member> ms = new java.util.ArrayList<>();
            for (int m = random.nextInt(4); m > 0; m--) {
              ms.add(member("192.168.1." + random.nextInt(20), 80, workers[random.nextInt(workers.length)]));
            }
            services.put(key, input(key, old.spec(), old.created().getEpochSecond(), ms));
          }
        }
        case 2 -> services.put(key, input(key, vs("10.0.0." + random.nextInt(5), 80 + random.nextInt(2),
            modes[random.nextInt(modes.length)], "p"), random.nextInt(100), List.of(member("192.168.1.1", 80, "w1"))));
        case 3 -> services.remove(key);
        case 4 -> { // a node flips readiness
          int n = random.nextInt(cluster.size());
          NodeView v = cluster.get(n);
          cluster.set(n, new NodeView(v.name(), v.labels(), !v.ready(), v.internalIp()));
        }
        case 5 -> { // the lease of a VIP moves, or goes
          String vip = "10.0.0." + random.nextInt(5);
          if (random.nextBoolean()) {
            leases.put(vip, random.nextBoolean() ? "d1" : "d2");
          } else {
            leases.remove(vip);
          }
        }
        default -> { } // nothing changed: plan again
      }
      List<ServiceInput> in = List.copyOf(services.values());
      ClusterPlan remembered = warm.plan(in, cluster, leases);
      ClusterPlan fresh = new NodeStatePlanner().plan(in, cluster, leases);
      assertThat(remembered).as("step %d", step).isEqualTo(fresh);
      compared += fresh.nodes().size();
    }
    assertThat(compared).as("node specs compared").isGreaterThan(300);
  }
}
