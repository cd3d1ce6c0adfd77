package io.lvs.agent.view;

import io.lvs.agent.model.Destination;
import io.lvs.agent.model.Endpoints;
import io.lvs.agent.model.Family;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import java.util.List;

/**
 * Renders services and connections in the layout of ipvsadm's listings (-Ln and its --stats,
 * --rate, --persistent-conn variants; -Lnc), so people read them as they always have and scripts
 * that parse ipvsadm's columns keep working. Numbers with -n semantics: no names resolved.
 */
public final class IpvsadmText {
  private IpvsadmText() {}

  public static String services(List<ObservedService> services, ServiceView view) {
    StringBuilder out = new StringBuilder("Prot LocalAddress:Port ");
    out.append(switch (view) {
      case PLAIN -> "Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
      case STATS -> "              Conns   InPkts  OutPkts  InBytes OutBytes\n  -> RemoteAddress:Port\n";
      case RATE -> "                CPS    InPPS   OutPPS    InBPS   OutBPS\n  -> RemoteAddress:Port\n";
      case PERSISTENT_CONN -> "Weight    PersistConn ActiveConn InActConn\n  -> RemoteAddress:Port\n";
    });
    for (ObservedService s : services) {
      service(out, s, view);
      for (ObservedDestination d : s.destinations()) {
        destination(out, d, view);
      }
    }
    return out.toString();
  }

  private static void service(StringBuilder out, ObservedService s, ServiceView view) {
    String name = name(s.service().key());
    Stats st = s.stats() == null ? Stats.ZERO : s.stats();
    switch (view) {
      case STATS -> out.append(String.format("%-33s", name)).append(stats(st)).append('\n');
      case RATE -> out.append(String.format("%-33s", name)).append(rate(st)).append('\n');
      default -> out.append(name).append(' ').append(s.service().scheduler()).append(flags(s.service())).append('\n');
    }
  }

  private static void destination(StringBuilder out, ObservedDestination d, ServiceView view) {
    Destination dest = d.destination();
    Stats st = d.stats();
    String addr = dest.key().toString();
    out.append(switch (view) {
      case PLAIN -> String.format("  -> %-28s %-7s %-6d %-10d %-10d", addr, forward(dest), dest.weight(),
          d.activeConnections(), d.inactiveConnections());
      case STATS -> String.format("  -> %-28s", addr) + stats(st);
      case RATE -> String.format("  -> %-28s", addr) + rate(st);
      case PERSISTENT_CONN -> String.format("  -> %-28s %-9d %-11d %-10d %-10d", addr, dest.weight(),
          d.persistentConnections(), d.activeConnections(), d.inactiveConnections());
    }).append('\n');
  }

  /** As ipvsadm -Lnc: one line per entry, expiry as mm:ss. */
  public static String connections(List<Connection> entries) {
    StringBuilder out = new StringBuilder("IPVS connection entries\n");
    out.append(String.format("pro expire %-11s %-18s %-18s %s%n", "state", "source", "virtual", "destination"));
    for (Connection c : entries) {
      out.append(String.format("%-3s %02d:%02d  %-11s %-18s %-18s %s%n", c.protocol(), c.expiresSeconds() / 60,
          c.expiresSeconds() % 60, c.state(), c.clientEndpoint(), c.virtualEndpoint(), c.destinationEndpoint()));
    }
    return out.toString();
  }

  static String name(ServiceKey k) {
    if (k.isFwmark()) {
      return "FWM  " + k.fwmark() + (k.family() == Family.INET6 ? " IPv6" : "");
    }
    return k.protocol() + "  " + Endpoints.format(k.address(), k.port());
  }

  private static String flags(IpvsService s) {
    StringBuilder f = new StringBuilder();
    if ((s.flags() & IpvsService.F_PERSISTENT) != 0) {
      f.append(" persistent ").append(s.timeoutSeconds());
      boolean v6 = s.key().family() == Family.INET6;
      if (s.netmaskPrefixLength() != (v6 ? 128 : 32) && s.netmaskPrefixLength() > 0) {
        f.append(" mask ").append(v6 ? String.valueOf(s.netmaskPrefixLength()) : mask4(s.netmaskPrefixLength()));
      }
    }
    if ((s.flags() & IpvsService.F_ONEPACKET) != 0) {
      f.append(" ops");
    }
    return f.toString();
  }

  private static String mask4(int prefix) {
    long m = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    return (m >>> 24) + "." + ((m >>> 16) & 255) + "." + ((m >>> 8) & 255) + "." + (m & 255);
  }

  private static String forward(Destination d) {
    return switch (d.forwardMethod()) {
      case MASQ -> "Masq";
      case LOCALNODE -> "Local";
      case TUNNEL -> "Tunnel";
      case DROUTE -> "Route";
      case BYPASS -> "Bypass";
    };
  }

  private static String stats(Stats s) {
    return large(s.connections()) + large(s.inPackets()) + large(s.outPackets()) + large(s.inBytes())
        + large(s.outBytes());
  }

  private static String rate(Stats s) {
    return String.format(" %8d %8d %8d", s.cps(), s.inPps(), s.outPps()) + large(s.inBps()) + large(s.outBps());
  }

  /** ipvsadm's print_largenum: exact up to 8 digits, then K, M, G, T with 7 digits. */
  static String large(long n) {
    if (n < 100_000_000L) {
      return String.format(" %8d", n);
    }
    String[] units = {"K", "M", "G", "T"};
    long v = n;
    int u = -1;
    while (v >= 10_000_000L && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(" %7d%s", v, units[u]);
  }
}
