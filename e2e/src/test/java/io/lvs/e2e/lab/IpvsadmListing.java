package io.lvs.e2e.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ipvsadm's listings (-Ln and its --stats / --rate variants, -Lnc) read into comparable values:
 * the same parse for Debian's ipvsadm and for what kubectl lvs prints, so the two are compared
 * service by service and destination by destination, column by column.
 */
public final class IpvsadmListing {
  private IpvsadmListing() {}

  /**
   * Service line → its destination lines, sorted; headers dropped, runs of blanks made one (the
   * columns stay in order). Listing order is the kernel's hash order, not part of the comparison.
   */
  public static Map<String, List<String>> services(String text) {
    Map<String, List<String>> out = new TreeMap<>();
    List<String> current = null;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("IP Virtual Server") || line.startsWith("Prot ")
          || line.startsWith("  -> RemoteAddress")) {
        continue;
      }
      String columns = line.strip().replaceAll("\\s+", " ");
      if (line.startsWith("  -> ")) {
        if (current == null) {
          throw new IllegalArgumentException("destination before any service: " + line);
        }
        current.add(columns);
        current.sort(null);
      } else {
        current = new ArrayList<>();
        out.put(columns, current);
      }
    }
    return out;
  }

  /** One -Lnc line; {@code expire} as printed (mm:ss). */
  public record Connection(String protocol, String expire, String state, String source, String virtual,
      String destination) {
    /** What both listings must agree on; expiry counts down between two reads. */
    public String withoutExpiry() {
      return protocol + " " + state + " " + source + " " + virtual + " " + destination;
    }
  }

  public static List<Connection> connections(String text) {
    List<Connection> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("IPVS connection entries") || line.startsWith("pro ")) {
        continue;
      }
      String[] f = line.strip().split("\\s+");
      if (f.length != 6) {
        throw new IllegalArgumentException("not an -Lnc line (6 columns): " + line);
      }
      out.add(new Connection(f[0], f[1], f[2], f[3], f[4], f[5]));
    }
    return out;
  }
}
