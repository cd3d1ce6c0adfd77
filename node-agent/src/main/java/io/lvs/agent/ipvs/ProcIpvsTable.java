package io.lvs.agent.ipvs;

import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.ServiceKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's text view of its IPVS table ({@code /proc/net/ip_vs}, one per network namespace):
 * for every address service each destination's key, forwarding method, weight and connection
 * counts. Reading it costs one system call per page of text where the netlink dumps cost one
 * request per service, so the resync checks the whole table with it; it lacks thresholds, tunnel
 * settings and counters, and fwmark services (their line does not give the family) are left out.
 */
public final class ProcIpvsTable implements AutoCloseable {
  /** One destination line. */
  public record Row(DestinationKey key, String forward, int weight, long active, long inactive) {
    /** Whether {@code d} prints as this line (the kernel prints BYPASS as Masq). */
    public boolean shows(Destination d) {
      return d.key().equals(key) && d.weight() == weight && forwardName(d.forwardMethod()).equals(forward);
    }
  }

  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);

  private ProcIpvsTable(FileChannel channel) {
    this.channel = channel;
  }

  /** Opens the file; the namespace is that of the calling thread when the path is /proc/thread-self/net/ip_vs. */
  public static ProcIpvsTable open(Path file) throws IOException {
    return new ProcIpvsTable(FileChannel.open(file, StandardOpenOption.READ));
  }

  /** The table now, by service, destinations in the kernel's order. */
  public synchronized Map<ServiceKey, List<Row>> read() {
    try {
      channel.position(0);
      Parser p = new Parser();
      byte[] a = buffer.array();
      int held = 0; // bytes of an unfinished line at the buffer's start
      buffer.clear();
      while (channel.read(buffer) > 0) {
        int end = buffer.position();
        int from = 0;
        for (int i = held; i < end; i++) {
          if (a[i] == '\n') {
            p.line(a, from, Math.min(i - from, MAX_LINE));
            from = i + 1;
          }
        }
        held = end - from;
        System.arraycopy(a, from, a, 0, held);
        buffer.clear().position(held);
      }
      return p.table;
    } catch (IOException e) {
      throw new UncheckedIOException("read /proc/net/ip_vs", e);
    }
  }

  /** Parses the whole text (tests). */
  public static Map<ServiceKey, List<Row>> parse(String text) {
    Parser p = new Parser();
    text.lines().forEach(l -> {
      byte[] b = l.getBytes(StandardCharsets.ISO_8859_1);
      p.line(b, 0, Math.min(b.length, MAX_LINE));
    });
    return p.table;
  }

  public static String forwardName(ForwardMethod m) {
    return switch (m) {
      case LOCALNODE -> "Local";
      case TUNNEL -> "Tunnel";
      case DROUTE -> "Route";
      default -> "Masq";
    };
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Longer lines are cut here (the kernel's are under 110 bytes). */
  static final int MAX_LINE = 256;

  /**
   * Parses each line where it lies in the read buffer: the start and end of its first six fields
   * (split at runs of blanks, as {@link Character#isWhitespace} counts them) and numbers read from
   * the bytes, so a line costs no String; a table of a hundred thousand lines is read every resync.
   */
  private static final class Parser {
    final Map<ServiceKey, List<Row>> table = new HashMap<>();
    final int[] starts = new int[6];
    final int[] ends = new int[6];
    List<Row> current;

    void line(byte[] b, int off, int len) {
      int n = split(b, off, off + len);
      if (n == 0) {
        current = null;
        return;
      }
      if (startsWith(b, off, len, "  -> ") && n >= 6 && !startsWith(b, starts[1], ends[1] - starts[1], "Remote")) {
        if (current != null) {
          current.add(new Row(endpoint(b, starts[1], ends[1]), forward(b, starts[2], ends[2]),
              (int) decimal(b, starts[3], ends[3]), decimal(b, starts[4], ends[4]), decimal(b, starts[5], ends[5])));
        }
        return;
      }
      current = null;
      IpProtocol proto = is(b, 0, "TCP") ? IpProtocol.TCP : is(b, 0, "UDP") ? IpProtocol.UDP
          : is(b, 0, "SCTP") ? IpProtocol.SCTP : null; // else headers, FWM services, protocols the agent does not program
      if (proto != null && n >= 2) {
        DestinationKey k = endpoint(b, starts[1], ends[1]);
        current = new ArrayList<>();
        table.put(ServiceKey.of(proto, k.address(), k.port()), current);
      }
    }

    /** Finds up to six fields; returns how many (more are not looked for). */
    int split(byte[] b, int i, int end) {
      int n = 0;
      while (i < end && n < starts.length) {
        while (i < end && blank(b[i])) {
          i++;
        }
        int start = i;
        while (i < end && !blank(b[i])) {
          i++;
        }
        if (start < i) {
          starts[n] = start;
          ends[n++] = i;
        }
      }
      return n;
    }

    boolean is(byte[] b, int field, String word) {
      return ends[field] - starts[field] == word.length() && startsWith(b, starts[field], word.length(), word);
    }

    static boolean blank(byte c) {
      return c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1C && c <= 0x1F); // Character.isWhitespace in Latin-1
    }

    static boolean startsWith(byte[] b, int off, int len, String prefix) {
      if (len < prefix.length()) {
        return false;
      }
      for (int i = 0; i < prefix.length(); i++) {
        if (b[off + i] != prefix.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    /** The kernel's names as constants; anything else as read. */
    static String forward(byte[] b, int start, int end) {
      for (String name : FORWARD_NAMES) {
        if (end - start == name.length() && startsWith(b, start, name.length(), name)) {
          return name;
        }
      }
      return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }

    static long decimal(byte[] b, int start, int end) {
      boolean negative = b[start] == '-';
      int i = negative || b[start] == '+' ? start + 1 : start;
      if (i == end || end - i > 18) {
        return Long.parseLong(new String(b, start, end - start, StandardCharsets.ISO_8859_1)); // its error, or a long one
      }
      long v = 0;
      for (; i < end; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          throw new NumberFormatException("For input string: \"" + new String(b, start, end - start, StandardCharsets.ISO_8859_1) + "\"");
        }
        v = v * 10 + d;
      }
      return negative ? -v : v;
    }

    static int hex(byte[] b, int start, int end) {
      if (start == end || end - start > 8) {
        throw new NumberFormatException("not 1 to 8 hex digits: " + new String(b, start, end - start, StandardCharsets.ISO_8859_1));
      }
      int v = 0;
      for (int i = start; i < end; i++) {
        int d = Character.digit(b[i], 16);
        if (d < 0) {
          throw new NumberFormatException("not hex: " + new String(b, start, end - start, StandardCharsets.ISO_8859_1));
        }
        v = v << 4 | d;
      }
      return v;
    }

    /** C0A80001:0050 or [2001:0db8:...:0001]:0050. */
    static DestinationKey endpoint(byte[] b, int start, int end) {
      int colon = end - 1;
      while (colon >= start && b[colon] != ':') {
        colon--;
      }
      if (colon < start) {
        throw new IllegalArgumentException("/proc/net/ip_vs: no port in " + new String(b, start, end - start, StandardCharsets.ISO_8859_1));
      }
      int port = hex(b, colon + 1, end);
      try {
        if (b[start] == '[') {
          return new DestinationKey(InetAddress.getByName(new String(b, start + 1, colon - 2 - start, StandardCharsets.ISO_8859_1)), port);
        }
        int a = hex(b, start, colon);
        return new DestinationKey(InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8),
            (byte) a}), port);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("/proc/net/ip_vs: address " + new String(b, start, end - start, StandardCharsets.ISO_8859_1), e);
      }
    }
  }

  /** What {@link #forwardName} prints, each name once. */
  private static final List<String> FORWARD_NAMES =
      java.util.Arrays.stream(ForwardMethod.values()).map(ProcIpvsTable::forwardName).distinct().toList();
}
