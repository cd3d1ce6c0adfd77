package io.lvs.agent.ha;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The heartbeat datagram: "LVSH", version 3, seq (u64), apiReachableMillis (i64), node name (u8
 * length + UTF-8), VIP count (u16), each VIP (u8 length + its text) followed by its last renewal:
 * the Lease version (u8 length + text, empty: none) and, when there is one, how long ago it was
 * sent (u32 ms); then the renewal in flight the same way, named by its write token. Versions 1
 * (the VIPs alone) and 2 (no renewal in flight) are still read, so agents can be upgraded one by one.
 * Network byte order. A datagram that is not one of ours, or is cut short, is refused with the
 * reason (the receiver logs and drops it).
 */
public final class PeerReportCodec {
  static final byte[] MAGIC = "LVSH".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 3;
  /** One unfragmented UDP datagram on an Ethernet MTU of 1500. */
  public static final int MAX_DATAGRAM = 1472;

  private PeerReportCodec() {}

  public static byte[] encode(PeerReport r) {
    ByteBuffer b = ByteBuffer.allocate(MAX_DATAGRAM);
    b.put(MAGIC).put((byte) VERSION).putLong(r.seq()).putLong(r.apiReachableMillis());
    putText(b, "node", r.node());
    b.putShort((short) r.holding().size());
    for (String vip : r.holding().stream().sorted().toList()) {
      putText(b, "vip", vip);
      putRenewal(b, vip, "version", r.renewals().get(vip));
      putRenewal(b, vip, "write", r.writing().get(vip));
    }
    return Arrays.copyOf(b.array(), b.position());
  }

  private static void putRenewal(ByteBuffer b, String vip, String field, PeerReport.Renewal renewal) {
    putText(b, field, renewal == null ? "" : renewal.version());
    if (renewal != null) {
      if (b.remaining() < Integer.BYTES) {
        throw new IllegalArgumentException("heartbeat longer than " + MAX_DATAGRAM + " bytes at vip " + vip);
      }
      b.putInt((int) Math.min(renewal.agoMillis(), 0xFFFF_FFFFL));
    }
  }

  /** A renewal as {@link #putRenewal} wrote it, or null. */
  private static PeerReport.Renewal renewal(ByteBuffer b) {
    String name = text(b);
    return name.isEmpty() ? null : new PeerReport.Renewal(name, Integer.toUnsignedLong(b.getInt()));
  }

  private static void putText(ByteBuffer b, String field, String text) {
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    if (t.length > 255) {
      throw new IllegalArgumentException(field + " " + text + " is longer than 255 bytes");
    }
    if (b.remaining() < 1 + t.length) {
      throw new IllegalArgumentException("heartbeat longer than " + MAX_DATAGRAM + " bytes at " + field + " " + text);
    }
    b.put((byte) t.length).put(t);
  }

  public static PeerReport decode(byte[] datagram, int length) {
    ByteBuffer b = ByteBuffer.wrap(datagram, 0, length);
    try {
      byte[] magic = new byte[MAGIC.length];
      b.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IllegalArgumentException("not a heartbeat: magic " + new String(magic, StandardCharsets.ISO_8859_1));
      }
      int version = Byte.toUnsignedInt(b.get());
      if (version < 1 || version > VERSION) {
        throw new IllegalArgumentException("heartbeat version " + version + ", this agent reads 1 to " + VERSION);
      }
      long seq = b.getLong();
      long reachable = b.getLong();
      String node = text(b);
      int count = Short.toUnsignedInt(b.getShort());
      Set<String> holding = new LinkedHashSet<>();
      Map<String, PeerReport.Renewal> renewals = new HashMap<>();
      Map<String, PeerReport.Renewal> writing = new HashMap<>();
      for (int i = 0; i < count; i++) {
        String vip = text(b);
        holding.add(vip);
        PeerReport.Renewal renewed = version >= 2 ? renewal(b) : null;
        if (renewed != null) {
          renewals.put(vip, renewed);
        }
        PeerReport.Renewal inFlight = version >= 3 ? renewal(b) : null;
        if (inFlight != null) {
          writing.put(vip, inFlight);
        }
      }
      if (b.hasRemaining()) {
        throw new IllegalArgumentException("heartbeat with " + b.remaining() + " bytes after its last VIP");
      }
      return new PeerReport(node, seq, reachable, holding, renewals, writing);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("heartbeat cut short at byte " + b.position() + " of " + length);
    }
  }

  private static String text(ByteBuffer b) {
    int n = Byte.toUnsignedInt(b.get());
    byte[] t = new byte[n];
    b.get(t);
    return new String(t, StandardCharsets.UTF_8);
  }
}
