package io.lvs.agent.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.Family;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.ServiceKey;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** /proc/net/ip_vs_conn parsing, the attribution of entries to our services, and the -Lnc layout. */
class ConnectionTableTest {
  // the kernel's layout (ip_vs_conn_seq_show): IPv4 and ports in hex, IPv6 in %pI6 (full) form
  static final String TABLE = """
      Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData
      TCP C6120064 9C40 C612000A 0050 C612000B 0050 ESTABLISHED     899
      TCP C6120064 0000 C612000A 0050 C612000B 0050 NONE            299
      TCP C6120065 A000 C6120063 0050 C6120063 0050 FIN_WAIT         98
      IP  C6120064 0000 00000007 0000 C612000C 0000 ASSURED         299
      TCP C6120064 9C42 C6120014 01BB C612000C 01BB SYN_RECV         55
      TCP 2001:0db8:0000:0000:0000:0000:0000:0064 9C41 2001:0db8:0000:0000:0000:0000:0000:000a 0050 2001:0db8:0000:0000:0000:0000:0000:000b 0050 TIME_WAIT       119
      UDP C6120065 1F90 C612000A 0035 C612000D 0035 UDP             299
      """;

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void everyFieldOfEveryLineIsRead() throws Exception {
    List<Connection> t = ProcConnections.parse(TABLE);
    assertThat(t).hasSize(7);
    assertThat(t.get(0)).isEqualTo(new Connection("TCP", ip("198.18.0.100"), 40000, ip("198.18.0.10"), 80,
        ip("198.18.0.11"), 80, "ESTABLISHED", 899, false));
    assertThat(t.get(1).template()).as("client port 0, state NONE: a persistence template").isTrue();
    assertThat(t.get(3).template()).as("fwmark template").isTrue();
    assertThat(t.get(3).virtualAddress()).isEqualTo(ip("0.0.0.7"));
    assertThat(t.get(5).client()).isEqualTo(ip("2001:db8::64"));
    assertThat(t.get(5).clientEndpoint()).isEqualTo("[2001:db8:0:0:0:0:0:64]:40001");
    assertThat(t.get(6).state()).isEqualTo("UDP");
    assertThat(t.get(6).template()).isFalse();
  }

  @Test
  void aBrokenLineIsRefusedNamingItsNumber() {
    assertThatThrownBy(() -> ProcConnections.parse("Pro FromIP\nTCP C6120064 9C40 C612000A\n"))
        .hasMessageContaining("line 2").hasMessageContaining("expected 9 fields");
    assertThatThrownBy(() -> ProcConnections.parse("TCP C61200 9C40 C612000A 0050 C612000B 0050 ESTABLISHED 9\n"))
        .hasMessageContaining("line 1").hasMessageContaining("C61200");
  }

  @Test
  void onlyEntriesOfOurServicesAreKeptAndFwmarkOnesMatchByRealServer() throws Exception {
    var web = new OwnedConnections.OwnedService("ns/web", ServiceKey.of(IpProtocol.TCP, ip("198.18.0.10"), 80),
        Set.of(new DestinationKey(ip("198.18.0.11"), 80)));
    var marked = new OwnedConnections.OwnedService("ns/fw", ServiceKey.ofFwmark(Family.INET, 7),
        Set.of(new DestinationKey(ip("198.18.0.12"), 0), new DestinationKey(ip("198.18.0.12"), 443)));
    List<OwnedConnections.Entry> ours = OwnedConnections.of(ProcConnections.parse(TABLE), List.of(web, marked));
    // 198.18.0.99 (someone else's service), the IPv6 and the UDP entries are not ours
    assertThat(ours).extracting(e -> e.service().owner() + " " + e.connection().clientEndpoint() + " "
            + e.connection().destinationEndpoint())
        .containsExactly("ns/web 198.18.0.100:40000 198.18.0.11:80", "ns/web 198.18.0.100:0 198.18.0.11:80",
            "ns/fw 198.18.0.100:0 198.18.0.12:0", "ns/fw 198.18.0.100:40002 198.18.0.12:443");
  }

  @Test
  void aFwmarkTemplateOfAnotherMarkIsNotOurs() throws Exception {
    var other = new OwnedConnections.OwnedService("ns/fw", ServiceKey.ofFwmark(Family.INET, 8),
        Set.of(new DestinationKey(ip("198.18.0.12"), 0)));
    assertThat(OwnedConnections.of(ProcConnections.parse(TABLE), List.of(other))).isEmpty();
  }

  @Test
  void listedAsIpvsadmLncListsThem() {
    String text = IpvsadmText.connections(ProcConnections.parse(TABLE).subList(0, 2));
    assertThat(text).isEqualTo("""
        IPVS connection entries
        pro expire state       source             virtual            destination
        TCP 14:59  ESTABLISHED 198.18.0.100:40000 198.18.0.10:80     198.18.0.11:80
        TCP 04:59  NONE        198.18.0.100:0     198.18.0.10:80     198.18.0.11:80
        """);
  }
}
