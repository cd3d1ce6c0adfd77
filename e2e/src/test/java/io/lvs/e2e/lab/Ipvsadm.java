package io.lvs.e2e.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Debian's ipvsadm as the independent oracle of what a node's kernel holds. Parses the save format
 * ({@code ipvsadm -S -n}: the same lines an administrator would type) and the stats listing.
 */
public final class Ipvsadm {
  private Ipvsadm() {}

  /** One real server line: {@code -a -t VIP:PORT -r RIP:PORT -g|-m|-i -w WEIGHT ...}. */
  public record Destination(String address, String method, int weight, String line) {}

  /** One virtual service line and its real servers; key is e.g. {@code -t 198.18.0.201:80}. */
  public record Service(String key, String scheduler, Optional<String> persistence, String line, List<Destination> destinations) {
    public Optional<Destination> destination(String address) {
      return destinations.stream().filter(d -> d.address().equals(address)).findFirst();
    }
  }

  /** Packet and byte counters of one service ({@code ipvsadm -Ln --stats --exact}). */
  public record Stats(long conns, long inPackets, long outPackets, long inBytes, long outBytes) {}

  /** The IPVS table of a namespace, as {@code ipvsadm -S -n} prints it. */
  public static List<Service> table(String ns) {
    return parseSave(Shell.inNs(ns, "ipvsadm", "-S", "-n").orThrow());
  }

  public static Optional<Service> service(String ns, String key) {
    return table(ns).stream().filter(s -> s.key().equals(key)).findFirst();
  }

  /** The raw save format, for snapshots and the demo's display. */
  public static String save(String ns) {
    return Shell.inNs(ns, "ipvsadm", "-S", "-n").orThrow();
  }

  public static String list(String ns) {
    return Shell.inNs(ns, "ipvsadm", "-Ln").orThrow();
  }

  public static Map<String, Stats> stats(String ns) {
    return parseStats(Shell.inNs(ns, "ipvsadm", "-Ln", "--stats", "--exact").orThrow());
  }

  static List<Service> parseSave(String text) {
    Map<String, ServiceBuilder> services = new LinkedHashMap<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\\s+");
      if (f[0].equals("-A")) {
        String key = f[1] + " " + f[2];
        services.put(key, new ServiceBuilder(key, option(f, "-s").orElse(""), option(f, "-p"), line));
      } else if (f[0].equals("-a")) {
        String key = f[1] + " " + f[2];
        String method = "";
        for (String m : List.of("-g", "-m", "-i")) {
          if (List.of(f).contains(m)) {
            method = m;
          }
        }
        int weight = Integer.parseInt(option(f, "-w").orElse("1"));
        ServiceBuilder s = services.get(key);
        if (s == null) {
          throw new IllegalArgumentException("ipvsadm -S: real server before its service: " + line);
        }
        s.destinations.add(new Destination(option(f, "-r").orElseThrow(), method, weight, line));
      }
    }
    return services.values().stream().map(ServiceBuilder::build).toList();
  }

  static Map<String, Stats> parseStats(String text) {
    Map<String, Stats> out = new LinkedHashMap<>();
    for (String raw : text.split("\n")) {
      String[] f = raw.strip().split("\\s+");
      if (f.length == 7 && (f[0].equals("TCP") || f[0].equals("UDP") || f[0].equals("SCTP") || f[0].equals("FWM"))) {
        String flag = switch (f[0]) {
          case "TCP" -> "-t";
          case "UDP" -> "-u";
          case "SCTP" -> "--sctp-service";
          default -> "-f";
        };
        out.put(flag + " " + f[1], new Stats(
            Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6])));
      }
    }
    return out;
  }

  private static Optional<String> option(String[] f, String name) {
    for (int i = 0; i < f.length - 1; i++) {
      if (f[i].equals(name)) {
        return Optional.of(f[i + 1]);
      }
    }
    return Optional.empty();
  }

  private static final class ServiceBuilder {
    final String key;
    final String scheduler;
    final Optional<String> persistence;
    final String line;
    final List<Destination> destinations = new ArrayList<>();

    ServiceBuilder(String key, String scheduler, Optional<String> persistence, String line) {
      this.key = key;
      this.scheduler = scheduler;
      this.persistence = persistence;
      this.line = line;
    }

    Service build() {
      return new Service(key, scheduler, persistence, line, List.copyOf(destinations));
    }
  }
}
