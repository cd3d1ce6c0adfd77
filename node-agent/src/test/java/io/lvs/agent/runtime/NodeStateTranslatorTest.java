package io.lvs.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.Family;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.TunnelType;
import io.lvs.api.v1alpha1.AddressFamily;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeLink;
import io.lvs.api.v1alpha1.NodeMark;
import io.lvs.api.v1alpha1.NodeSnat;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.Protocol;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeStateTranslatorTest {
  private final NodeStateTranslator translator = new NodeStateTranslator();

  static InetAddress ip(String s) {
    return IpLiterals.parse(s);
  }

  static NodeIpvsService dr(String owner, String vip, int port, NodeDestination... dests) {
    return new NodeIpvsService(owner, vip, port, Protocol.TCP, null, null, "rr", null, null, null, List.of(dests), null);
  }

  static NodeDestination dest(String address, Integer weight) {
    return new NodeDestination(address, null, weight, Forwarding.DirectRouting, null, null, null, null);
  }

  @Test
  void equalMembersOfDifferentServicesShareOneKeyAndAddressAndTranslateAsAlone() {
    // random services over a few members, IPv4 and IPv6, some repeating across services: the
    // translation (one pool) must equal each service translated on its own (no sharing)
    java.util.Random r = new java.util.Random(17);
    List<NodeIpvsService> services = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      boolean v6 = i % 5 == 0;
      List<NodeDestination> ds = new java.util.ArrayList<>();
      java.util.Set<String> used = new java.util.HashSet<>();
      for (int d = 0; d < 1 + r.nextInt(6); d++) {
        String a = v6 ? "2001:db8::" + Integer.toHexString(1 + r.nextInt(12)) : "198.19.0." + (1 + r.nextInt(12));
        Integer port = r.nextBoolean() ? null : 8000 + r.nextInt(2);
        if (used.add(a + "/" + port)) {
          ds.add(new NodeDestination(a, port, r.nextInt(4), r.nextBoolean() ? Forwarding.NAT : Forwarding.DirectRouting,
              null, null, null, r.nextInt(5) == 0));
        }
      }
      services.add(new NodeIpvsService("ns/vs" + i, v6 ? "2001:db8:1::" + Integer.toHexString(i + 1) : "198.18.1." + (i + 1),
          80 + i % 3, Protocol.TCP, null, null, "rr", null, null, null, ds, null));
    }
    Translation t = translator.translate(new LvsNodeStateSpec("n1", services, null, null, null, null));

    assertThat(t.errors()).isEmpty();
    java.util.Map<DestinationKey, DestinationKey> firstKey = new java.util.HashMap<>();
    java.util.Map<InetAddress, InetAddress> firstAddress = new java.util.HashMap<>();
    for (int i = 0; i < services.size(); i++) {
      DesiredService alone = NodeStateTranslator.service(services.get(i), "services[" + i + "]");
      DesiredService pooled = t.desired().services().get(alone.key());
      assertThat(pooled).isEqualTo(alone);
      assertThat(List.copyOf(pooled.destinations().keySet())).isEqualTo(List.copyOf(alone.destinations().keySet()));
      pooled.destinations().forEach((k, d) -> {
        assertThat(d.destination().key()).isSameAs(k).isSameAs(firstKey.computeIfAbsent(k, x -> k));
        assertThat(k.address()).isSameAs(firstAddress.computeIfAbsent(k.address(), x -> k.address()));
      });
    }
    assertThat(firstKey.size()).isLessThan(t.desired().services().values().stream()
        .mapToInt(s -> s.destinations().size()).sum()); // members did repeat
  }

  @Test
  void directRoutingServiceGetsIpvsadmDefaults() {
    LvsNodeStateSpec spec = new LvsNodeStateSpec("n1",
        List.of(new NodeIpvsService("web/vs", "198.18.0.100", 80, null, null, null, null, null, null, null,
            List.of(dest("198.18.0.11", null), dest("198.18.0.12", 3)), null)),
        null, null, null, null);
    Translation t = translator.translate(spec);

    assertThat(t.errors()).isEmpty();
    assertThat(t.owners()).containsExactly("web/vs");
    ServiceKey key = ServiceKey.of(IpProtocol.TCP, ip("198.18.0.100"), 80);
    DesiredService s = t.desired().services().get(key);
    assertThat(s.owner()).isEqualTo("web/vs");
    assertThat(s.service()).isEqualTo(new IpvsService(key, "wlc", 0, 0, 32));
    assertThat(s.destinations().values()).extracting(d -> d.destination())
        .containsExactly(
            Destination.of(new DestinationKey(ip("198.18.0.11"), 80), ForwardMethod.DROUTE, 1),
            Destination.of(new DestinationKey(ip("198.18.0.12"), 80), ForwardMethod.DROUTE, 3));
  }

  @Test
  void persistenceFlagsForwardingAndDrainingAreMapped() {
    NodeIpvsService svc = new NodeIpvsService("a/b", "198.18.0.100", 53, Protocol.UDP, null, null, "sh",
        List.of("sh-port", "sh-fallback", "one-packet"), 300, 24,
        List.of(new NodeDestination("198.18.0.11", 5353, 2, Forwarding.NAT, null, 100L, 10L, null),
            new NodeDestination("198.18.0.12", null, 1, Forwarding.Tunnel, "gue", null, null, true),
            new NodeDestination("198.18.0.13", null, 1, Forwarding.FullNAT, null, null, null, false)),
        null);
    Translation t = translator.translate(new LvsNodeStateSpec("n1", List.of(svc), null, null, null, null));

    assertThat(t.errors()).isEmpty();
    DesiredService s = t.desired().services().values().iterator().next();
    assertThat(s.service().flags()).isEqualTo(
        IpvsService.F_PERSISTENT | IpvsService.F_SCHED1 | IpvsService.F_SCHED2 | IpvsService.F_ONEPACKET);
    assertThat(s.service().timeoutSeconds()).isEqualTo(300);
    assertThat(s.service().netmaskPrefixLength()).isEqualTo(24);
    assertThat(s.service().scheduler()).isEqualTo("sh");
    var dests = List.copyOf(s.destinations().values());
    assertThat(dests.get(0).destination()).isEqualTo(new Destination(
        new DestinationKey(ip("198.18.0.11"), 5353), ForwardMethod.MASQ, 2, 100, 10, TunnelType.IPIP, 0, 0));
    assertThat(dests.get(1).draining()).isTrue();
    assertThat(dests.get(1).kernelDestination().weight()).isZero();
    assertThat(dests.get(1).destination().forwardMethod()).isEqualTo(ForwardMethod.TUNNEL);
    assertThat(dests.get(1).destination().tunnelType()).isEqualTo(TunnelType.GUE);
    assertThat(dests.get(2).destination().forwardMethod()).isEqualTo(ForwardMethod.MASQ);
  }

  @Test
  void fwmarkServiceOfIpv6FamilyDefaultsToPrefix128() {
    NodeIpvsService svc = new NodeIpvsService("a/fw", null, null, null, 7L, AddressFamily.IPv6, "rr", null, null,
        null, List.of(new NodeDestination("2001:db8::11", 80, 1, Forwarding.DirectRouting, null, null, null, null)), null);
    Translation t = translator.translate(new LvsNodeStateSpec("n1", List.of(svc), null, null, null, null));

    assertThat(t.errors()).isEmpty();
    ServiceKey key = ServiceKey.ofFwmark(Family.INET6, 7);
    assertThat(t.desired().services().get(key).service().netmaskPrefixLength()).isEqualTo(128);
  }

  /** Found in the kernel lab: IPv6 services refuse netmask 0 (EINVAL); say so by field instead. */
  @Test
  void ipv6PersistenceNetmaskZeroIsRefusedByFieldWhileIpv4AcceptsIt() {
    NodeIpvsService v6 = new NodeIpvsService("a/v6", "2001:db8::100", 80, Protocol.TCP, null, null, "rr", null, 60, 0,
        List.of(new NodeDestination("2001:db8::11", 80, 1, Forwarding.DirectRouting, null, null, null, null)), null);
    NodeIpvsService v4 = new NodeIpvsService("a/v4", "198.18.0.100", 80, Protocol.TCP, null, null, "rr", null, 60, 0,
        List.of(new NodeDestination("198.18.0.11", 80, 1, Forwarding.DirectRouting, null, null, null, null)), null);
    Translation t = translator.translate(new LvsNodeStateSpec("n1", List.of(v6, v4), null, null, null, null));

    assertThat(t.errorsOf("a/v6")).singleElement().asString()
        .contains("netmaskPrefixLength 0 out of range for INET6 (1-128)");
    assertThat(t.errorsOf("a/v4")).isEmpty();
    assertThat(t.desired().services()).hasSize(1);
  }

  @Test
  void aBadEntryIsReportedToItsOwnerWithTheFieldAndTheRestIsKept() {
    LvsNodeStateSpec spec = new LvsNodeStateSpec("n1",
        List.of(dr("ns/good", "198.18.0.100", 80, dest("198.18.0.11", 1)),
            dr("ns/badvip", "web.example.com", 80, dest("198.18.0.11", 1)),
            dr("ns/baddest", "198.18.0.101", 80, dest("198.18.0.300", 1)),
            new NodeIpvsService("ns/badflag", "198.18.0.102", 80, null, null, null, null, List.of("turbo"), null, null,
                List.of(), null)),
        List.of(new NodeAddress("ns/badaddr", "198.18.0.999", null, null, null)),
        null, null, null);
    Translation t = translator.translate(spec);

    assertThat(t.desired().services()).hasSize(1);
    assertThat(t.owners()).containsExactly("ns/badaddr", "ns/baddest", "ns/badflag", "ns/badvip", "ns/good");
    assertThat(t.errorsOf("ns/good")).isEmpty();
    assertThat(t.errorsOf("ns/badvip")).singleElement().asString()
        .contains("spec.services[1]").contains("vip").contains("web.example.com");
    assertThat(t.errorsOf("ns/baddest")).singleElement().asString()
        .contains("spec.services[2]: destinations[0]: address").contains("198.18.0.300");
    assertThat(t.errorsOf("ns/badflag")).singleElement().asString().contains("unknown flag \"turbo\"");
    assertThat(t.errorsOf("ns/badaddr")).singleElement().asString().startsWith("spec.addresses[0]");
  }

  @Test
  void addressesLinksSysctlsAndSnatAreMergedAcrossOwners() {
    LvsNodeStateSpec spec = new LvsNodeStateSpec("n1", null,
        List.of(new NodeAddress("a/one", "198.18.0.100", null, null, null),
            new NodeAddress("a/two", "198.18.0.100", 32, "lo", true),
            new NodeAddress("a/tun", "198.18.0.101", null, "tunl0", null)),
        List.of(new NodeLink("a/tun", "tunl0", "ipip")),
        List.of(new NodeSysctl("a/one", "net.ipv4.conf.lo.arp_ignore", "1"),
            new NodeSysctl("a/two", "net.ipv4.conf.lo.arp_ignore", "1"),
            new NodeSysctl("a/two", "net.ipv4.conf.all.arp_announce", "2")),
        List.of(new NodeSnat("a/full", Protocol.TCP, List.of("198.18.0.11"), 80, "198.18.0.2")));
    Translation t = translator.translate(spec);
    DesiredState d = t.desired();

    assertThat(t.errors()).isEmpty();
    InterfaceAddress vip = new InterfaceAddress("lo", ip("198.18.0.100"), 32);
    assertThat(d.addresses().get(vip).owners()).containsExactly("a/one", "a/two");
    assertThat(d.addresses().get(vip).announce()).isTrue();
    assertThat(d.addresses()).containsKey(new InterfaceAddress("tunl0", ip("198.18.0.101"), 32));
    assertThat(d.links().get("tunl0").kind()).isEqualTo("ipip");
    assertThat(d.sysctls().get("net.ipv4.conf.lo.arp_ignore").owners()).containsExactly("a/one", "a/two");
    assertThat(d.sysctls().get("net.ipv4.conf.all.arp_announce").value()).isEqualTo("2");
    assertThat(d.snat()).singleElement().satisfies(r -> {
      assertThat(r.toSource()).isEqualTo(ip("198.18.0.2"));
      assertThat(r.realServers()).containsExactly(ip("198.18.0.11"));
    });
  }

  @Test
  void marksBecomeMarkingRulesAndABadOneFailsOnlyItsEntryNamingIt() {
    LvsNodeStateSpec spec = new LvsNodeStateSpec("n1", null, null, null, null, null, List.of(
        new NodeMark("a/mark", 9L, "198.18.0.100", 32, Protocol.TCP, 80, null),
        new NodeMark("a/mark", 9L, "198.18.4.0", 24, Protocol.UDP, 8000, 8100),
        new NodeMark("a/any", 10L, "2001:db8::10", null, null, null, null),
        new NodeMark("a/bad", 11L, "198.18.0.300", 32, Protocol.TCP, 80, null),
        new NodeMark("a/bad2", 12L, "198.18.0.1", 40, Protocol.TCP, 80, null)));
    Translation t = translator.translate(spec);
    assertThat(t.desired().marks()).containsExactly(
        new MarkRule("a/mark", 9, ip("198.18.0.100"), 32, IpProtocol.TCP, 80, 80),
        new MarkRule("a/mark", 9, ip("198.18.4.0"), 24, IpProtocol.UDP, 8000, 8100),
        new MarkRule("a/any", 10, ip("2001:db8::10"), 128, IpProtocol.TCP, 0, 0));
    assertThat(t.errors()).containsOnlyKeys("a/bad", "a/bad2");
    assertThat(t.errors().get("a/bad")).singleElement().asString().contains("marks[3]").contains("198.18.0.300");
    assertThat(t.errors().get("a/bad2")).singleElement().asString().contains("marks[4]").contains("prefix length 40");
  }

  @Test
  void interfaceOfPutsTheAddressOnTheInterfaceHoldingTheOtherAndAMissingHolderFailsOnlyItsEntry() {
    NodeStateTranslator.AddressHolders holders = NodeStateTranslator.AddressHolders.of(List.of(
        new InterfaceAddress("lo", ip("127.0.0.1"), 8),
        new InterfaceAddress("eth0", ip("192.168.1.5"), 24),
        new InterfaceAddress("lo", ip("198.18.0.9"), 32),
        new InterfaceAddress("eth1", ip("198.18.0.9"), 32)));
    LvsNodeStateSpec spec = new LvsNodeStateSpec("n1", null,
        List.of(new NodeAddress("a/vip", "198.18.0.100", 32, null, true, "192.168.1.5"),
            new NodeAddress("a/named", "198.18.0.101", 32, "eth9", true, "192.168.1.5"), // a name wins
            new NodeAddress("a/notlo", "198.18.0.102", 32, "", null, "198.18.0.9"), // lo only if nothing else
            new NodeAddress("a/lost", "198.18.0.103", 32, null, true, "192.168.1.6"),
            new NodeAddress("a/bad", "198.18.0.104", 32, " ", true, "not-an-ip"),
            new NodeAddress("a/plain", "198.18.0.105", 32, null, null, " ")),
        null, null, null);
    Translation t = translator.translate(spec, NodeStateTranslator.EntryPaths.PLAIN, holders);

    assertThat(t.desired().addresses()).containsOnlyKeys(
        new InterfaceAddress("eth0", ip("198.18.0.100"), 32),
        new InterfaceAddress("eth9", ip("198.18.0.101"), 32),
        new InterfaceAddress("eth1", ip("198.18.0.102"), 32),
        new InterfaceAddress("lo", ip("198.18.0.105"), 32));
    assertThat(t.desired().addresses().get(new InterfaceAddress("eth0", ip("198.18.0.100"), 32)).announce()).isTrue();
    assertThat(t.errors()).containsOnlyKeys("a/lost", "a/bad");
    assertThat(t.errorsOf("a/lost")).containsExactly("spec.addresses[3].interfaceOf: no interface holds 192.168.1.6");
    assertThat(t.errorsOf("a/bad")).singleElement().asString().startsWith("spec.addresses[4].interfaceOf: ");
    assertThat(t.owners()).contains("a/vip", "a/lost", "a/bad");

    // without a snapshot (or when it cannot be read) every interfaceOf entry is refused, nothing else
    assertThat(translator.translate(spec).errors()).containsOnlyKeys("a/vip", "a/notlo", "a/lost", "a/bad");
    Translation unread = translator.translate(spec, NodeStateTranslator.EntryPaths.PLAIN,
        NodeStateTranslator.AddressHolders.lazy(() -> {
          throw new IllegalStateException("RTM_GETADDR dump: EPERM");
        }));
    assertThat(unread.errorsOf("a/vip"))
        .containsExactly("spec.addresses[0].interfaceOf: cannot read this node's addresses: RTM_GETADDR dump: EPERM");
    assertThat(unread.desired().addresses()).containsOnlyKeys(
        new InterfaceAddress("eth9", ip("198.18.0.101"), 32), new InterfaceAddress("lo", ip("198.18.0.105"), 32));
  }

  @Test
  void theAddressSnapshotIsReadOnceAndOnlyWhenAnEntryNamesInterfaceOf() {
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.Supplier<List<InterfaceAddress>> dump = () -> {
      reads.incrementAndGet();
      return List.of(new InterfaceAddress("eth0", ip("192.168.1.5"), 24));
    };
    LvsNodeStateSpec plain = new LvsNodeStateSpec("n1", null,
        List.of(new NodeAddress("a/rs", "198.18.0.100", 32, "lo", null)), null, null, null);
    translator.translate(plain, NodeStateTranslator.EntryPaths.PLAIN, NodeStateTranslator.AddressHolders.lazy(dump));
    assertThat(reads).hasValue(0);
    LvsNodeStateSpec two = new LvsNodeStateSpec("n1", null,
        List.of(new NodeAddress("a/one", "198.18.0.100", 32, null, true, "192.168.1.5"),
            new NodeAddress("a/two", "198.18.0.101", 32, null, true, "192.168.1.5")), null, null, null);
    Translation t =
        translator.translate(two, NodeStateTranslator.EntryPaths.PLAIN, NodeStateTranslator.AddressHolders.lazy(dump));
    assertThat(reads).hasValue(1);
    assertThat(t.desired().addresses()).containsOnlyKeys(
        new InterfaceAddress("eth0", ip("198.18.0.100"), 32), new InterfaceAddress("eth0", ip("198.18.0.101"), 32));
  }

  @Test
  void twoOwnersOfOneServiceKeyBecomeAConflictNotACrash() {
    LvsNodeStateSpec spec = new LvsNodeStateSpec("n1",
        List.of(dr("a/first", "198.18.0.100", 80), dr("a/second", "198.18.0.100", 80)), null, null, null, null);
    Translation t = translator.translate(spec);

    assertThat(t.desired().services().values()).extracting(DesiredService::owner).containsExactly("a/first");
    assertThat(t.desired().conflicts()).singleElement().satisfies(c -> assertThat(c.owners()).containsExactly("a/second"));
  }

  @Test
  void nullSpecTranslatesToNothing() {
    assertThat(translator.translate(null).desired()).isEqualTo(DesiredState.EMPTY);
  }

  @Test
  void ipLiteralsNeverResolveNames() {
    assertThat(IpLiterals.parse("198.18.0.1").getHostAddress()).isEqualTo("198.18.0.1");
    assertThat(IpLiterals.parse("2001:db8::1").getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThatThrownBy(() -> IpLiterals.parse("localhost")).hasMessageContaining("not an IP address literal");
    assertThatThrownBy(() -> IpLiterals.parse("1.2.3.256")).hasMessageContaining("octet 256");
    assertThatThrownBy(() -> IpLiterals.parse("2001:db8::zz")).hasMessageContaining("not an IP address literal");
    assertThatThrownBy(() -> IpLiterals.parse("1:2:3:4:5:6:7:8:9")).hasMessageContaining("not an IPv6 address");
  }
}
