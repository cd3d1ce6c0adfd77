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
      byte[] line = new byte[256];
      int len = 0;
      buffer.clear();
      while (channel.read(buffer) > 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          byte b = buffer.get();
          if (b == '\n') {
            p.line(new String(line, 0, len, StandardCharsets.ISO_8859_1));
            len = 0;
          } else if (len < line.length) {
            line[len++] = b;
          }
        }
        buffer.clear();
      }
      return p.table;
    } catch (IOException e) {
      throw new UncheckedIOException("read /proc/net/ip_vs", e);
    }
  }

  /** Parses the whole text (tests). */
  public static Map<ServiceKey, List<Row>> parse(String text) {
    Parser p = new Parser();
    text.lines().forEach(p::line);
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

  /**
   * The line's fields, split at runs of blanks: what {@code strip().split("\\s+")} gives, without
   * compiling a pattern for each of a large table's hundred thousand lines.
   */
  static String[] fields(String l) {
    List<String> out = new ArrayList<>(8);
    int n = l.length();
    int i = 0;
    while (i < n) {
      while (i < n && Character.isWhitespace(l.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(l.charAt(i))) {
        i++;
      }
      if (start < i) {
        out.add(l.substring(start, i));
      }
    }
    return out.toArray(new String[0]);
  }

  private static final class Parser {
    final Map<ServiceKey, List<Row>> table = new HashMap<>();
    List<Row> current;

    void line(String l) {
      String[] f = fields(l);
      if (f.length == 0) {
        current = null;
        return;
      }
      if (l.startsWith("  -> ") && f.length >= 6 && !f[1].startsWith("Remote")) {
        if (current != null) {
          current.add(new Row(endpoint(f[1]), f[2], Integer.parseInt(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5])));
        }
        return;
      }
      current = null;
      IpProtocol proto = switch (f[0]) {
        case "TCP" -> IpProtocol.TCP;
        case "UDP" -> IpProtocol.UDP;
        case "SCTP" -> IpProtocol.SCTP;
        default -> null; // headers, FWM services, protocols the agent does not program
      };
      if (proto != null && f.length >= 2) {
        DestinationKey k = endpoint(f[1]);
        current = new ArrayList<>();
        table.put(ServiceKey.of(proto, k.address(), k.port()), current);
      }
    }

    /** C0A80001:0050 or [2001:0db8:...:0001]:0050. */
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
        throw new IllegalArgumentException("/proc/net/ip_vs: address " + s, e);
      }
    }
  }
}
