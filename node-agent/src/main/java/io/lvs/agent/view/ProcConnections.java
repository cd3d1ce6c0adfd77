package io.lvs.agent.view;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and parses /proc/net/ip_vs_conn (IPVS has no generic-netlink dump of connections; ipvsadm
 * -Lnc reads this file too). Each line: protocol, client, client port, virtual address, virtual
 * port, destination, destination port (IPv4 addresses and all ports in hex, IPv6 addresses in
 * colon form), state, seconds to expiry, then optional persistence-engine name and data.
 */
public final class ProcConnections {
  /** Where the kernel lists the calling process's network namespace's connections. */
  public static final Path PROC = Path.of("/proc/net/ip_vs_conn");

  /** The states the kernel names templates by (ip_vs_ctpl_state_name_table). */
  private static final Set<String> TEMPLATE_STATES = Set.of("NONE", "ASSURED");

  private ProcConnections() {}

  public static List<Connection> read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + " (is ip_vs loaded?): " + e.getMessage(), e);
    }
  }

  public static List<Connection> parse(String text) {
    List<Connection> out = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("Pro ")) {
        continue;
      }
      out.add(line(line, i + 1));
    }
    return out;
  }

  private static Connection line(String line, int number) {
    String[] f = line.split("\\s+");
    if (f.length < 9) {
      throw new IllegalArgumentException("ip_vs_conn line " + number + ": expected 9 fields, got " + f.length + ": " + line);
    }
    try {
      String protocol = f[0];
      int clientPort = Integer.parseInt(f[2], 16);
      String state = f[7];
      // a template pins a client, not a flow: no client port (persistence is per address) and a
      // template state; fwmark templates carry protocol IP
      boolean template = "IP".equals(protocol) || clientPort == 0 && TEMPLATE_STATES.contains(state);
      return new Connection(protocol, address(f[1]), clientPort, address(f[3]), Integer.parseInt(f[4], 16),
          address(f[5]), Integer.parseInt(f[6], 16), state, Long.parseLong(f[8]), template);
    } catch (NumberFormatException | UnknownHostException e) {
      throw new IllegalArgumentException("ip_vs_conn line " + number + ": " + e.getMessage() + ": " + line, e);
    }
  }

  /** IPv4 as 8 hex digits (host order printed big-endian), IPv6 as the kernel's %pI6 form. */
  static InetAddress address(String s) throws UnknownHostException {
    if (s.indexOf(':') >= 0) {
      return InetAddress.getByName(s); // a literal: no name lookup
    }
    if (s.length() != 8) {
      throw new UnknownHostException("not an address: " + s);
    }
    long v = Long.parseLong(s, 16);
    return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }
}
