package io.lvs.agent.ipvs;

import static io.lvs.agent.fake.Fixtures.dest;
import static io.lvs.agent.fake.Fixtures.rs;
import static io.lvs.agent.fake.Fixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.fake.Fixtures;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.DestinationKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The kernel's text table as Linux 6.1 prints it (net/netfilter/ipvs/ip_vs_ctl.c, ip_vs_info_seq_show). */
class ProcIpvsTableTest {
  static final String TEXT = """
      IP Virtual Server version 1.2.1 (size=4096)
      Prot LocalAddress:Port Scheduler Flags
        -> RemoteAddress:Port Forward Weight ActiveConn InActConn
      TCP  C6120001:0050 wrr\s
        -> C6130102:0050      Route   2      0          0        \s
        -> C6130101:0050      Route   77     3          12       \s
      UDP  C6120002:0035 rr persistent 300 FFFFFFFF
        -> C6130201:0035      Masq    1      0          1        \s
      FWM  00000007 rr\s
        -> C6130301:0000      Tunnel  1      0          0        \s
      TCP  [2001:0db8:0000:0000:0000:0000:0000:0001]:01BB sh\s
        -> [2001:0db8:0000:0000:0000:0000:0000:0010]:01BB      Local   5      0          0        \s
      """;

  @Test
  void everyAddressServiceWithItsDestinationsInTheKernelsOrder() {
    Map<ServiceKey, List<ProcIpvsTable.Row>> t = ProcIpvsTable.parse(TEXT);

    assertThat(t.get(tcp("198.18.0.1", 80))).containsExactly(
        new ProcIpvsTable.Row(rs("198.19.1.2", 80), "Route", 2, 0, 0),
        new ProcIpvsTable.Row(rs("198.19.1.1", 80), "Route", 77, 3, 12));
    assertThat(t.get(ServiceKey.of(IpProtocol.UDP, Fixtures.ip("198.18.0.2"), 53)))
        .containsExactly(new ProcIpvsTable.Row(rs("198.19.2.1", 53), "Masq", 1, 0, 1));
    assertThat(t.get(tcp("2001:db8::1", 443)))
        .containsExactly(new ProcIpvsTable.Row(rs("2001:db8::10", 443), "Local", 5, 0, 0));
    assertThat(t).as("fwmark services are left out: the line does not give their family").hasSize(3);
  }

  /**
   * The byte-level parser against the plain one it replaced (each line a String, split with a
   * regex, numbers and addresses parsed from substrings): random tables as the kernel prints
   * them, with headers, blank lines, fwmark and IPv6 services, odd spacing and long counters.
   */
  @Test
  void parsesRandomTablesAsThePlainStringParserDoes() {
    Random r = new Random(11);
    for (int t = 0; t < 300; t++) {
      StringBuilder b = new StringBuilder("IP Virtual Server version 1.2.1 (size=4096)\n"
          + "Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n");
      for (int s = r.nextInt(40); s > 0; s--) {
        switch (r.nextInt(8)) {
          case 0 -> b.append("FWM  ").append(String.format("%08X", r.nextInt(100))).append(" rr \n");
          case 1 -> b.append("TCP  [2001:0db8:0000:0000:0000:0000:0000:").append(String.format("%04x", r.nextInt(65536)))
              .append("]:").append(String.format("%04X", r.nextInt(65536))).append(" sh \n");
          case 2 -> b.append("\n");
          default -> b.append(List.of("TCP", "UDP", "SCTP", "ICMP").get(r.nextInt(4))).append("  ")
              .append(String.format("%08X:%04X", r.nextInt(), r.nextInt(65536)))
              .append(r.nextBoolean() ? " wrr \n" : " rr persistent 300 FFFFFFFF\n");
        }
        for (int d = r.nextInt(12); d > 0; d--) {
          String to = r.nextInt(6) == 0
              ? String.format("[2001:0db8:0000:0000:0000:0000:0001:%04x]:%04X", r.nextInt(65536), r.nextInt(65536))
              : String.format("%08X:%04X", r.nextInt(), r.nextInt(65536));
          b.append("  -> ").append(to).append(" ".repeat(1 + r.nextInt(6)))
              .append(List.of("Route", "Masq", "Local", "Tunnel", "Odd").get(r.nextInt(5))).append(r.nextBoolean() ? "\t" : "   ")
              .append(r.nextInt(65536)).append("      ").append(r.nextInt(3) == 0 ? Long.MAX_VALUE - r.nextInt(9) : r.nextInt(100))
              .append("          ").append(r.nextInt(100000)).append("        \n");
        }
      }
      String text = b.toString();
      assertThat(ProcIpvsTable.parse(text)).as(text).isEqualTo(plain(text));
    }
  }

  /** The parser as it was: a String per line, a regex split, substrings parsed. */
  static Map<ServiceKey, List<ProcIpvsTable.Row>> plain(String text) {
    Map<ServiceKey, List<ProcIpvsTable.Row>> table = new HashMap<>();
    List<ProcIpvsTable.Row> current = null;
    for (String l : text.lines().toList()) {
      String[] split = l.strip().split("\\s+");
      String[] f = split.length == 1 && split[0].isEmpty() ? new String[0] : split;
      if (f.length == 0) {
        current = null;
        continue;
      }
      if (l.startsWith("  -> ") && f.length >= 6 && !f[1].startsWith("Remote")) {
        if (current != null) {
          current.add(new ProcIpvsTable.Row(endpoint(f[1]), f[2], Integer.parseInt(f[3]), Long.parseLong(f[4]),
              Long.parseLong(f[5])));
        }
        continue;
      }
      current = null;
      IpProtocol proto = switch (f[0]) {
        case "TCP" -> IpProtocol.TCP;
        case "UDP" -> IpProtocol.UDP;
        case "SCTP" -> IpProtocol.SCTP;
        default -> null;
      };
      if (proto != null && f.length >= 2) {
        DestinationKey k = endpoint(f[1]);
        current = new ArrayList<>();
        table.put(ServiceKey.of(proto, k.address(), k.port()), current);
      }
    }
    return table;
  }

  static DestinationKey endpoint(String s) {
    int colon = s.lastIndexOf(':');
    int port = Integer.parseInt(s.substring(colon + 1), 16);
    try {
      if (s.startsWith("[")) {
        return new DestinationKey(InetAddress.getByName(s.substring(1, colon - 1)), port);
      }
      int a = (int) Long.parseLong(s.substring(0, colon), 16);
      return new DestinationKey(InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8),
          (byte) a}), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  @Test
  void aLineLongerThanTheReadBufferAndLinesAcrossItsEdgesAreRead() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int s = 0; s < 3_000; s++) { // ~330 KB: lines cross every 64 KiB read
      if (s == 1_500) {
        b.append("X".repeat(150_000)).append('\n'); // fills two whole reads: its start is parsed, its rest dropped
      }
      b.append(String.format("TCP  C612%04X:0050 wrr %n", s));
      for (int d = 0; d < 2; d++) {
        b.append(String.format("  -> C613%04X:0050      Route   %d      0          0         %n", s, d + 1));
      }
    }
    java.nio.file.Path f = java.nio.file.Files.createTempFile("ip_vs", ".txt");
    try {
      java.nio.file.Files.writeString(f, b);
      try (ProcIpvsTable table = ProcIpvsTable.open(f)) {
        Map<ServiceKey, List<ProcIpvsTable.Row>> t = table.read();
        assertThat(t).hasSize(3_000).isEqualTo(plain(b.toString()));
        assertThat(table.read()).as("read again from the start").isEqualTo(t);
        // as the resync reads it: each service handed on once, in the text's order, when its lines are read
        List<ServiceKey> order = new java.util.ArrayList<>();
        table.read((key, rows) -> {
          assertThat(rows).as("rows of %s", key).isEqualTo(t.get(key));
          order.add(key);
        });
        assertThat(order).hasSize(3_000).doesNotHaveDuplicates()
            .startsWith(tcp("198.18.0.0", 80), tcp("198.18.0.1", 80)).endsWith(tcp("198.18.11.183", 80));
      }
    } finally {
      java.nio.file.Files.delete(f);
    }
  }

  @Test
  void aRowShowsADestinationWhenKeyWeightAndForwardingMatch() {
    ProcIpvsTable.Row row = new ProcIpvsTable.Row(rs("198.19.1.1", 80), "Route", 77, 3, 12);

    assertThat(row.shows(dest("198.19.1.1", 80, ForwardMethod.DROUTE, 77))).isTrue();
    assertThat(row.shows(dest("198.19.1.1", 80, ForwardMethod.DROUTE, 1))).isFalse();
    assertThat(row.shows(dest("198.19.1.1", 80, ForwardMethod.MASQ, 77))).isFalse();
    assertThat(row.shows(dest("198.19.1.2", 80, ForwardMethod.DROUTE, 77))).isFalse();
    assertThat(new ProcIpvsTable.Row(rs("198.19.1.1", 80), "Masq", 1, 0, 0)
        .shows(dest("198.19.1.1", 80, ForwardMethod.BYPASS, 1))).as("the kernel prints BYPASS as Masq").isTrue();
  }
}
