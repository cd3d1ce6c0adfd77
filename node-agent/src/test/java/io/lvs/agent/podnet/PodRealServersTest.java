package io.lvs.agent.podnet;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.DesiredSysctl;
import io.lvs.agent.runtime.IpLiterals;
import io.lvs.api.v1alpha1.NodeAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PodRealServersTest {
  static NodeAddress pod(String owner, String vip, String iface, String podIp) {
    return new NodeAddress(owner, vip, 32, iface, false, null, podIp);
  }

  static Map<String, String> sysctls(DesiredState d) {
    return d.sysctls().values().stream().collect(Collectors.toMap(DesiredSysctl::key, DesiredSysctl::value));
  }

  @Test
  void drPodGetsTheVipOnLoAndTheArpSysctls() {
    PodRealServers p = PodRealServers.of(List.of(pod("ns/web", "198.18.0.100", "lo", "10.244.1.5"),
        new NodeAddress("ns/web", "198.18.0.100", 32, "lo", false))); // a node entry: not the pod's
    assertThat(p.pods()).containsOnlyKeys(IpLiterals.parse("10.244.1.5"));
    DesiredState d = p.pods().get(IpLiterals.parse("10.244.1.5")).desired();
    assertThat(d.addresses().keySet()).extracting(a -> a.interfaceName() + " " + a.address().getHostAddress())
        .containsExactly("lo 198.18.0.100");
    assertThat(d.links()).isEmpty();
    assertThat(sysctls(d)).containsOnly(Map.entry("net.ipv4.conf.all.arp_ignore", "1"),
        Map.entry("net.ipv4.conf.lo.arp_ignore", "1"), Map.entry("net.ipv4.conf.all.arp_announce", "2"),
        Map.entry("net.ipv4.conf.lo.arp_announce", "2"));
  }

  @Test
  void tunnelPodGetsTunl0AndRelaxedRpFilter() {
    DesiredState d = PodRealServers.of(List.of(pod("ns/t", "198.18.0.101", "tunl0", "10.244.2.7")))
        .pods().get(IpLiterals.parse("10.244.2.7")).desired();
    assertThat(d.links()).containsOnlyKeys("tunl0");
    assertThat(sysctls(d)).containsEntry("net.ipv4.conf.tunl0.rp_filter", "0")
        .containsEntry("net.ipv4.conf.all.rp_filter", "0").containsEntry("net.ipv4.conf.tunl0.arp_ignore", "1");
  }

  @Test
  void twoOwnersOnOnePodShareItsNamespace() {
    PodRealServers p = PodRealServers.of(List.of(pod("ns/a", "198.18.0.100", "lo", "10.244.1.5"),
        pod("ns/b", "198.18.0.102", "lo", "10.244.1.5")));
    assertThat(p.pods()).hasSize(1);
    PodRealServers.Want w = p.pods().values().iterator().next();
    assertThat(w.owners()).containsExactly("ns/a", "ns/b");
    assertThat(w.desired().addresses()).hasSize(2);
  }

  @Test
  void badEntriesAreReportedByFieldAndValue() {
    PodRealServers p = PodRealServers.of(List.of(pod("ns/a", "198.18.0.100", "lo", "10.244.1.x"),
        pod("ns/b", "198.18.0.100", "eth0", "10.244.1.6")));
    assertThat(p.pods()).isEmpty();
    assertThat(p.errors().get("ns/a")).containsExactly("podIp: '10.244.1.x' is not an IP address");
    assertThat(p.errors().get("ns/b").get(0)).startsWith("interfaceName: 'eth0'");
  }

  @Test
  void ipv6PodNeedsNoArpSysctls() {
    DesiredState d = PodRealServers.of(List.of(new NodeAddress("ns/v6", "2001:db8::100", 128, "lo", false, null,
        "fd00::5"))).pods().get(IpLiterals.parse("fd00::5")).desired();
    assertThat(d.sysctls()).isEmpty();
    assertThat(d.addresses()).hasSize(1);
  }
}
