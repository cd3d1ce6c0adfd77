package io.lvs.agent.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class PeerReportCodecTest {
  @Test
  void layout() {
    byte[] b = PeerReportCodec.encode(new PeerReport("d1", 2, 1000, Set.of("198.18.0.100")));
    assertThat(HexFormat.of().formatHex(b)).isEqualTo("4c565348" + "03" + "0000000000000002" + "00000000000003e8"
        + "02" + "6431" + "0001" + "0c" + HexFormat.of().formatHex("198.18.0.100".getBytes()) + "00" + "00");
    byte[] renewed = PeerReportCodec.encode(new PeerReport("d1", 2, 1000, Set.of("198.18.0.100"),
        Map.of("198.18.0.100", new PeerReport.Renewal("4711", 260)), Map.of("198.18.0.100", new PeerReport.Renewal("ab-7", 20))));
    assertThat(HexFormat.of().formatHex(renewed)).endsWith(HexFormat.of().formatHex("198.18.0.100".getBytes())
        + "04" + HexFormat.of().formatHex("4711".getBytes()) + "00000104"
        + "04" + HexFormat.of().formatHex("ab-7".getBytes()) + "00000014");
  }

  @Test
  void readsVersionTwoWithoutWritesInFlight() {
    byte[] v2 = HexFormat.of().parseHex("4c565348" + "02" + "0000000000000002" + "00000000000003e8"
        + "02" + "6431" + "0001" + "0c" + HexFormat.of().formatHex("198.18.0.100".getBytes())
        + "04" + HexFormat.of().formatHex("4711".getBytes()) + "00000104");
    assertThat(PeerReportCodec.decode(v2, v2.length)).isEqualTo(new PeerReport("d1", 2, 1000, Set.of("198.18.0.100"),
        Map.of("198.18.0.100", new PeerReport.Renewal("4711", 260))));
  }

  @Test
  void readsVersionOneWithoutRenewals() {
    byte[] v1 = HexFormat.of().parseHex("4c565348" + "01" + "0000000000000002" + "00000000000003e8"
        + "02" + "6431" + "0001" + "0c" + HexFormat.of().formatHex("198.18.0.100".getBytes()));
    assertThat(PeerReportCodec.decode(v1, v1.length)).isEqualTo(new PeerReport("d1", 2, 1000, Set.of("198.18.0.100")));
  }

  @Property
  void roundTrips(@ForAll @AlphaChars @StringLength(min = 1, max = 63) String node, @ForAll long seq,
      @ForAll @LongRange(min = -1) long reachable) {
    PeerReport r = new PeerReport(node, seq, reachable, Set.of("198.18.0.100", "2001:db8::1"),
        Map.of("2001:db8::1", new PeerReport.Renewal(Long.toString(Math.abs(seq % 100000)), Math.abs(seq % 4_000_000_000L))));
    byte[] b = PeerReportCodec.encode(r);
    assertThat(PeerReportCodec.decode(b, b.length)).isEqualTo(r);
  }

  @Test
  void refusesWhatIsNotAHeartbeat() {
    byte[] b = PeerReportCodec.encode(new PeerReport("d1", 2, -1, Set.of("198.18.0.100")));
    assertThatThrownBy(() -> PeerReportCodec.decode(b, b.length - 1)).hasMessage("heartbeat cut short at byte 40 of 40");
    byte[] other = "GET / HTTP/1.0\r\n".getBytes();
    assertThatThrownBy(() -> PeerReportCodec.decode(other, other.length)).hasMessage("not a heartbeat: magic GET ");
    byte[] v4 = b.clone();
    v4[4] = 4;
    assertThatThrownBy(() -> PeerReportCodec.decode(v4, v4.length)).hasMessage("heartbeat version 4, this agent reads 1 to 3");
    assertThatThrownBy(() -> new PeerReport("d1", 1, 5, Set.of(), Map.of(), Map.of("198.18.0.100", new PeerReport.Renewal("w-1", 0))))
        .hasMessage("writes [198.18.0.100] of VIPs not held []");
    assertThatThrownBy(() -> new PeerReport("d1", 1, 5, Set.of(), Map.of("198.18.0.100", new PeerReport.Renewal("1", 0))))
        .hasMessage("renewals [198.18.0.100] of VIPs not held []");
    assertThatThrownBy(() -> new PeerReport("d1", 1, -2, Set.of())).hasMessage("apiReachableMillis -2 must be >= -1");
  }

  @Test
  void peersIgnoreAReorderedOldHeartbeatAndTheirOwn() {
    Peers p = new Peers("d1");
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(p.heard(new PeerView(new PeerReport("d2", 10, 5, Set.of()), t0))).isTrue();
    assertThat(p.heard(new PeerView(new PeerReport("d2", 9, -1, Set.of()), t0.plusMillis(100)))).isFalse();
    assertThat(p.view("d2").orElseThrow().report().seq()).isEqualTo(10);
    assertThat(p.heard(new PeerView(new PeerReport("d1", 99, 5, Set.of()), t0))).isFalse();
    // silent for longer than the reorder window: a restarted peer whose clock stepped back
    assertThat(p.heard(new PeerView(new PeerReport("d2", 3, 5, Set.of()), t0.plusSeconds(6)))).isTrue();
  }
}
