package io.lvs.e2e.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IpvsadmListingTest {
  // Debian's ipvsadm 1.31 -Ln, services in the kernel's hash order
  static final String IPVSADM = """
      IP Virtual Server version 1.2.1 (size=4096)
      Prot LocalAddress:Port Scheduler Flags
        -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
      TCP  198.18.0.213:80 wrr
        -> 198.18.0.12:80               Masq    1      0          0
        -> 198.18.0.11:80               Masq    3      0          0
      TCP  198.18.0.212:80 rr
        -> 198.18.0.12:80               Route   1      0          0
        -> 198.18.0.11:80               Route   1      0          0
      """;
  // kubectl lvs ln, one node's section: the agent's order, no version line
  static final String PLUGIN = """
      Prot LocalAddress:Port Scheduler Flags
        -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
      TCP  198.18.0.212:80 rr
        -> 198.18.0.11:80               Route   1      0          0
        -> 198.18.0.12:80               Route   1      0          0
      TCP  198.18.0.213:80 wrr
        -> 198.18.0.11:80               Masq    3      0          0
        -> 198.18.0.12:80               Masq    1      0          0
      """;

  @Test
  void theSameTableInAnotherOrderAndLayoutIsEqualAndAnotherWeightIsNot() {
    assertThat(IpvsadmListing.services(PLUGIN)).isEqualTo(IpvsadmListing.services(IPVSADM))
        .containsEntry("TCP 198.18.0.213:80 wrr", List.of("-> 198.18.0.11:80 Masq 3 0 0", "-> 198.18.0.12:80 Masq 1 0 0"));
    assertThat(IpvsadmListing.services(PLUGIN.replace("Masq    3", "Masq    2"))).isNotEqualTo(IpvsadmListing.services(IPVSADM));
    assertThat(IpvsadmListing.services("Prot LocalAddress:Port Scheduler Flags\n")).isEmpty();
  }

  @Test
  void connectionLinesAreReadColumnByColumn() {
    List<IpvsadmListing.Connection> c = IpvsadmListing.connections("""
        IPVS connection entries
        pro expire state       source             virtual            destination
        TCP 14:58  ESTABLISHED 198.18.0.60:40001  198.18.0.212:80    198.18.0.11:80
        """);
    assertThat(c).containsExactly(new IpvsadmListing.Connection("TCP", "14:58", "ESTABLISHED", "198.18.0.60:40001",
        "198.18.0.212:80", "198.18.0.11:80"));
    assertThat(c.get(0).withoutExpiry()).isEqualTo("TCP ESTABLISHED 198.18.0.60:40001 198.18.0.212:80 198.18.0.11:80");
    assertThatThrownBy(() -> IpvsadmListing.connections("TCP 14:58 ESTABLISHED 198.18.0.60:40001\n"))
        .hasMessageContaining("6 columns");
  }
}
