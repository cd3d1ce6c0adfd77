package io.lvs.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.e2e.lab.KernelSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesOwnLinesTest {
  private static final List<String> BEFORE = List.of(
      "ipvs -A -t 198.18.0.101:80 -s rr",
      "ip 5: veth1234abcd@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master cni0",
      "Error: Peer netns reference is invalid.",
      "ip 2: eth0 inet 198.18.0.11/24 brd 198.18.0.255 scope global eth0",
      "nft table ip nat {",
      "nft chain KUBE-SEP-ABC {",
      "nft ip saddr 198.18.65.4 counter packets 0 bytes 0 jump KUBE-MARK-MASQ",
      "nft }",
      "nft chain PREROUTING {",
      "nft type nat hook prerouting priority dstnat; policy accept;",
      "nft counter packets 12 bytes 720 jump KUBE-SERVICES",
      "nft }",
      "nft }",
      "nft table inet lvs-operator {",
      "nft chain postrouting {",
      "nft ip daddr 198.18.65.4 counter packets 3 bytes 180 masquerade",
      "nft }",
      "nft }",
      "sysctl net.ipv4.ip_forward=1");

  @Test
  void kubeProxyChainsVethsAndCountersGoTheProductsLinesStay() {
    assertThat(KubernetesOwnLines.strip(BEFORE)).containsExactly(
        "ipvs -A -t 198.18.0.101:80 -s rr",
        "ip 2: eth0 inet 198.18.0.11/24 brd 198.18.0.255 scope global eth0",
        "nft table ip nat {",
        "nft chain PREROUTING {",
        "nft type nat hook prerouting priority dstnat; policy accept;",
        "nft }",
        "nft }",
        "nft table inet lvs-operator {",
        "nft chain postrouting {",
        "nft ip daddr 198.18.65.4 counter masquerade",
        "nft }",
        "nft }",
        "sysctl net.ipv4.ip_forward=1");
  }

  @Test
  void theCniBridgeLosingItsCarrierIsNoDifference() {
    KernelSnapshot before = new KernelSnapshot(Map.of("director", List.of(
        "ip 3: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000",
        "ip 198.18.64.0/24 dev cni0 proto kernel scope link src 198.18.64.1")));
    KernelSnapshot after = new KernelSnapshot(Map.of("director", List.of(
        "ip 3: cni0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000",
        "ip 198.18.64.0/24 dev cni0 proto kernel scope link src 198.18.64.1 linkdown",
        "ip 4: lo inet 198.18.0.101/32 scope global lo")));
    before = new KernelSnapshot(Map.of("director", List.of(before.byNamespace().get("director").get(0),
        "ip 3: cni0 inet6 fe80::984b:5fff:fe4c:367a/64 scope link",
        before.byNamespace().get("director").get(1))));
    assertThat(KubernetesOwnLines.strip(before).diff(KubernetesOwnLines.strip(after)))
        .containsExactly("director: + ip 4: lo inet 198.18.0.101/32 scope global lo");
    // a rule naming the bridge keeps its counters normalised like any other
    assertThat(KubernetesOwnLines.strip(List.of("nft iifname \"cni0\" counter packets 9 bytes 540 accept")))
        .containsExactly("nft iifname \"cni0\" counter accept");
  }

  @Test
  void loSLinkLineGarbledToADotIsNoDifferenceButLoSAddressesAre() {
    KernelSnapshot before = new KernelSnapshot(Map.of("director", List.of(
        "ip 1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\"
            + " link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
        "ip 1: lo inet 127.0.0.1/8 scope host lo")));
    KernelSnapshot after = new KernelSnapshot(Map.of("director", List.of(".",
        "ip 1: lo inet 127.0.0.1/8 scope host lo", "ip 1: lo inet 198.18.0.101/32 scope global lo")));
    assertThat(KubernetesOwnLines.strip(before).diff(KubernetesOwnLines.strip(after)))
        .containsExactly("director: + ip 1: lo inet 198.18.0.101/32 scope global lo");
  }

  @Test
  void aLeftoverIpvsServiceOrProductRuleStillShowsInTheDiff() {
    KernelSnapshot before = new KernelSnapshot(Map.of("director", List.of("nft table ip nat {", "nft }")));
    KernelSnapshot after = new KernelSnapshot(Map.of("director", List.of("ipvs -A -t 198.18.0.101:80 -s rr",
        "nft table ip nat {", "nft chain KUBE-SVC-X {", "nft counter packets 1 bytes 2", "nft }", "nft }",
        "nft table inet lvs-operator {", "nft }")));
    assertThat(KubernetesOwnLines.strip(before).diff(KubernetesOwnLines.strip(after))).containsExactly(
        "director: + ipvs -A -t 198.18.0.101:80 -s rr", "director: + nft table inet lvs-operator {");
  }
}
