package io.lvs.agent.ipvs;

import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.Ipv4;
import io.lvs.agent.model.ServiceKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
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
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The kernel's text view of its IPVS table ({@code /proc/net/ip_vs}, one per network namespace):
 * for every address service each destination's key, forwarding method, weight and connection
 * counts. Reading it costs one system call per page of text where the netlink dumps cost one
 * request per service, so the resync checks the whole table with it; it lacks thresholds, tunnel
 * settings and counters, and fwmark services (their line does not give the family) are left out.
 */
public final class ProcIpvsTable implements AutoCloseable {
  /**
   * One destination line. An IPv4 line keeps its address as the number read, and makes the key
   * only when asked: the resync compares every line with the view ({@link #shows}) and asks for
   * none of the keys when they match.
   */
  public static final class Row {
    private final DestinationKey key; // null for an IPv4 line: made from bits and port on demand
    private final int bits;
    private final int port;
    private final String forward;
    private final int weight;
    private final long active;
    private final long inactive;

    public Row(DestinationKey key, String forward, int weight, long active, long inactive) {
      this(Objects.requireNonNull(key, "key"), 0, key.port(), forward, weight, active, inactive);
    }

    private Row(DestinationKey key, int bits, int port, String forward, int weight, long active, long inactive) {
      this.key = key;
      this.bits = bits;
      this.port = port;
      this.forward = forward;
      this.weight = weight;
      this.active = active;
      this.inactive = inactive;
    }

    static Row ipv4(int bits, int port, String forward, int weight, long active, long inactive) {
      return new Row(null, bits, port, forward, weight, active, inactive);
    }

    public DestinationKey key() {
      return key != null ? key : new DestinationKey(Ipv4.address(bits), port);
    }

    public String forward() {
      return forward;
    }

    public int weight() {
      return weight;
    }

    public long active() {
      return active;
    }

    public long inactive() {
      return inactive;
    }

    /** Whether {@code k} is this line's key, without making the key. */
    public boolean isFor(DestinationKey k) {
      if (key != null) {
        return key.equals(k);
      }
      return k.port() == port && k.address() instanceof Inet4Address a && Ipv4.bits(a) == bits;
    }

    /** Whether {@code d} prints as this line (the kernel prints BYPASS as Masq). */
    public boolean shows(Destination d) {
      return isFor(d.key()) && d.weight() == weight && forwardName(d.forwardMethod()).equals(forward);
    }

    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Row r && weight == r.weight && active == r.active && inactive == r.inactive
          && forward.equals(r.forward) && key().equals(r.key());
    }

    @Override
    public int hashCode() {
      return Objects.hash(key(), forward, weight, active, inactive);
    }

    @Override
    public String toString() {
      return "Row[key=" + key() + ", forward=" + forward + ", weight=" + weight + ", active=" + active
          + ", inactive=" + inactive + "]";
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
  public Map<ServiceKey, List<Row>> read() {
    Map<ServiceKey, List<Row>> table = new HashMap<>();
    read(table::put);
    return table;
  }

  /**
   * Hands each service of the table now to {@code perService} with its destinations in the
   * kernel's order, as its lines are read: only one service's lines are held at a time (the whole
   * table as rows was 100,000 objects at 10,000 services x 10, read every resync).
   */
  public synchronized void read(BiConsumer<ServiceKey, List<Row>> perService) {
    try {
      channel.position(0);
      Parser p = new Parser(perService);
      byte[] a = buffer.array();
      int held = 0; // bytes of an unfinished line at the buffer's start
      boolean dropping = false; // within a line longer than the buffer, its start parsed already
      buffer.clear();
      while (channel.read(buffer) > 0) {
        int end = buffer.position();
        int from = 0;
        for (int i = held; i < end; i++) {
          if (a[i] == '\n') {
            if (!dropping) {
              p.line(a, from, Math.min(i - from, MAX_LINE));
            }
            dropping = false;
            from = i + 1;
          }
        }
        held = end - from;
        if (held == a.length) { // one line fills the buffer: the next read would return 0 and end the table
          if (!dropping) {
            p.line(a, 0, MAX_LINE);
          }
          dropping = true;
          held = 0;
        }
        System.arraycopy(a, from, a, 0, held);
        buffer.clear().position(held);
      }
      p.end();
    } catch (IOException e) {
      throw new UncheckedIOException("read /proc/net/ip_vs", e);
    }
  }

  /** Parses the whole text (tests). */
  public static Map<ServiceKey, List<Row>> parse(String text) {
    Map<ServiceKey, List<Row>> table = new HashMap<>();
    Parser p = new Parser(table::put);
    text.lines().forEach(l -> {
      byte[] b = l.getBytes(StandardCharsets.ISO_8859_1);
      p.line(b, 0, Math.min(b.length, MAX_LINE));
    });
    p.end();
    return table;
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
    final BiConsumer<ServiceKey, List<Row>> perService;
    final int[] starts = new int[6];
    final int[] ends = new int[6];
    final long[] numbers = new long[3]; // an IPv4 line's weight, active and inactive counts
    ServiceKey currentKey;
    List<Row> current;

    Parser(BiConsumer<ServiceKey, List<Row>> perService) {
      this.perService = perService;
    }

    /** The service being read is complete: handed on. */
    void end() {
      if (current != null) {
        perService.accept(currentKey, current);
      }
      current = null;
      currentKey = null;
    }

    void line(byte[] b, int off, int len) {
      if (current != null) {
        Row r = ipv4Row(b, off, off + len);
        if (r != null) {
          current.add(r);
          return;
        }
      }
      int n = split(b, off, off + len);
      if (n == 0) {
        end();
        return;
      }
      if (startsWith(b, off, len, "  -> ") && n >= 6 && !startsWith(b, starts[1], ends[1] - starts[1], "Remote")) {
        if (current != null) {
          current.add(row(b));
        }
        return;
      }
      end();
      IpProtocol proto = is(b, 0, "TCP") ? IpProtocol.TCP : is(b, 0, "UDP") ? IpProtocol.UDP
          : is(b, 0, "SCTP") ? IpProtocol.SCTP : null; // else headers, FWM services, protocols the agent does not program
      if (proto != null && n >= 2) {
        DestinationKey k = endpoint(b, starts[1], ends[1]);
        current = new ArrayList<>();
        currentKey = ServiceKey.of(proto, k.address(), k.port());
      }
    }

    /**
     * The kernel's IPv4 destination line ({@code "  -> %08X:%04X      %-7s %-6d %-10d %-10d"}) read
     * in one pass, without {@link #split}: nine in ten lines of a table are these. Null when the
     * line is anything else or not quite that (a sign, a long number, fewer fields), for the
     * general path to read it.
     */
    Row ipv4Row(byte[] b, int off, int end) {
      if (end - off < 19 || b[off] != ' ' || b[off + 1] != ' ' || b[off + 2] != '-' || b[off + 3] != '>'
          || b[off + 4] != ' ' || b[off + 13] != ':' || !blank(b[off + 18])) {
        return null;
      }
      long bits = hexDigits(b, off + 5, off + 13);
      long port = hexDigits(b, off + 14, off + 18);
      if (bits < 0 || port < 0) {
        return null;
      }
      int i = skipBlanks(b, off + 18, end);
      int forwardStart = i;
      while (i < end && !blank(b[i])) {
        i++;
      }
      if (forwardStart == i) {
        return null;
      }
      String forward = forward(b, forwardStart, i);
      for (int f = 0; f < 3; f++) {
        i = skipBlanks(b, i, end);
        int start = i;
        long v = 0;
        while (i < end && !blank(b[i])) {
          int d = b[i] - '0';
          if (d < 0 || d > 9 || i - start == 18) {
            return null;
          }
          v = v * 10 + d;
          i++;
        }
        if (start == i) {
          return null;
        }
        numbers[f] = v;
      }
      return Row.ipv4((int) bits, (int) port, forward, (int) numbers[0], numbers[1], numbers[2]);
    }

    static int skipBlanks(byte[] b, int i, int end) {
      while (i < end && blank(b[i])) {
        i++;
      }
      return i;
    }

    /** The number the hex digits from {@code start} to {@code end} (at most 8) spell; -1 when one is not a digit. */
    static long hexDigits(byte[] b, int start, int end) {
      long v = 0;
      for (int i = start; i < end; i++) {
        int d = hexDigit(b[i]);
        if (d < 0) {
          return -1;
        }
        v = v << 4 | d;
      }
      return v;
    }

    static int hexDigit(byte c) {
      if (c >= '0' && c <= '9') {
        return c - '0';
      }
      if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
      }
      return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    /** The destination line whose fields {@link #split} found. */
    Row row(byte[] b) {
      String forward = forward(b, starts[2], ends[2]);
      int weight = (int) decimal(b, starts[3], ends[3]);
      long active = decimal(b, starts[4], ends[4]);
      long inactive = decimal(b, starts[5], ends[5]);
      int start = starts[1];
      int end = ends[1];
      if (b[start] == '[') {
        return new Row(endpoint(b, start, end), forward, weight, active, inactive);
      }
      int colon = colon(b, start, end);
      return Row.ipv4(hex(b, start, colon), hex(b, colon + 1, end), forward, weight, active, inactive);
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
      for (String name : FORWARD_NAMES) { // an array: a List's iterator is not inlined by C1
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
      long v = hexDigits(b, start, end);
      if (v < 0) {
        throw new NumberFormatException("not hex: " + new String(b, start, end - start, StandardCharsets.ISO_8859_1));
      }
      return (int) v;
    }

    /** C0A80001:0050 or [2001:0db8:...:0001]:0050. */
    static DestinationKey endpoint(byte[] b, int start, int end) {
      int colon = colon(b, start, end);
      int port = hex(b, colon + 1, end);
      try {
        if (b[start] == '[') {
          return new DestinationKey(InetAddress.getByName(new String(b, start + 1, colon - 2 - start, StandardCharsets.ISO_8859_1)), port);
        }
        return new DestinationKey(Ipv4.address(hex(b, start, colon)), port);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("/proc/net/ip_vs: address " + new String(b, start, end - start, StandardCharsets.ISO_8859_1), e);
      }
    }

    /** Where the port's colon is (the last one). */
    static int colon(byte[] b, int start, int end) {
      int colon = end - 1;
      while (colon >= start && b[colon] != ':') {
        colon--;
      }
      if (colon < start) {
        throw new IllegalArgumentException("/proc/net/ip_vs: no port in " + new String(b, start, end - start, StandardCharsets.ISO_8859_1));
      }
      return colon;
    }
  }

  /** What {@link #forwardName} prints, each name once. */
  private static final String[] FORWARD_NAMES =
      java.util.Arrays.stream(ForwardMethod.values()).map(ProcIpvsTable::forwardName).distinct().toArray(String[]::new);
}
