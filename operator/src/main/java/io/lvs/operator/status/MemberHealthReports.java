package io.lvs.operator.status;

import io.lvs.api.v1alpha1.DestinationReport;
import io.lvs.api.v1alpha1.DirectorHealth;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.ServiceReport;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.operator.plan.IpvsServices;
import io.lvs.operator.plan.ServiceClaims;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Health per member as each director's agent reports it (LvsNodeState status, destinations of the
 * owner's services). A member is matched to a destination as the planner made it: its address and
 * the port IPVS forwards to. Pure.
 */
public final class MemberHealthReports {
  public static final String HEALTHY = "Healthy";
  public static final String UNHEALTHY = "Unhealthy";

  private MemberHealthReports() {}

  /**
   * Per member of one VirtualService ({@code owner}), the directors' views (by node name), from
   * the node states that hold its entries; members no director reports on are absent.
   */
  public static Map<MemberKey, List<DirectorHealth>> of(
      String owner, VirtualServiceSpec spec, List<Member> members, Map<String, LvsNodeState> states) {
    Map<String, Set<MemberKey>> byDestination = new HashMap<>();
    List<ServicePort> ports = spec.fwmark() != null || spec.ports() == null
        ? Arrays.asList((ServicePort) null) : spec.ports();
    for (ServicePort p : ports) {
      for (Member m : members) {
        String dest = ServiceClaims.canonical(m.address()) + "#" + IpvsServices.destinationPort(spec, p, m);
        byDestination.computeIfAbsent(dest, k -> new TreeSet<>()).add(m.key());
      }
    }
    Map<MemberKey, Map<String, DirectorHealth>> out = new TreeMap<>();
    new TreeMap<>(states).forEach((node, st) -> {
      if (st.getStatus() == null || st.getStatus().services() == null) {
        return;
      }
      for (ServiceReport s : st.getStatus().services()) {
        if (!owner.equals(s.owner()) || s.destinations() == null) {
          continue;
        }
        for (DestinationReport d : s.destinations()) {
          if (d.health() == null || d.address() == null || d.port() == null) {
            continue; // not probed: no health check on this pool
          }
          DirectorHealth h = new DirectorHealth(node, d.health(), d.healthSince(), d.healthError());
          for (MemberKey m : byDestination.getOrDefault(ServiceClaims.canonical(d.address()) + "#" + d.port(), Set.of())) {
            out.computeIfAbsent(m, k -> new TreeMap<>()).merge(node, h, MemberHealthReports::worse);
          }
        }
      }
    });
    Map<MemberKey, List<DirectorHealth>> result = new TreeMap<>();
    out.forEach((m, byNode) -> result.put(m, List.copyOf(byNode.values())));
    return result;
  }

  /** Several VirtualServices' views of one pool's members, merged per member and director. */
  public static Map<MemberKey, List<DirectorHealth>> merge(Collection<Map<MemberKey, List<DirectorHealth>>> views) {
    Map<MemberKey, Map<String, DirectorHealth>> out = new TreeMap<>();
    for (Map<MemberKey, List<DirectorHealth>> v : views) {
      v.forEach((m, list) -> list.forEach(
          h -> out.computeIfAbsent(m, k -> new TreeMap<>()).merge(h.node(), h, MemberHealthReports::worse)));
    }
    Map<MemberKey, List<DirectorHealth>> result = new TreeMap<>();
    out.forEach((m, byNode) -> result.put(m, List.copyOf(byNode.values())));
    return result;
  }

  /** Unhealthy when any director finds the member failing, Healthy when all reporting do not; null: no report. */
  public static String overall(List<DirectorHealth> views) {
    if (views == null || views.isEmpty()) {
      return null;
    }
    return views.stream().anyMatch(h -> UNHEALTHY.equals(h.health())) ? UNHEALTHY : HEALTHY;
  }

  /** One line per failing member for a condition message: "198.18.0.11:80 on d1 since ...: error". */
  public static List<String> failing(Map<MemberKey, List<DirectorHealth>> health) {
    List<String> out = new ArrayList<>();
    health.forEach((m, list) -> list.stream().filter(h -> UNHEALTHY.equals(h.health())).forEach(h -> out.add(
        m + " on " + h.node() + (h.since() == null ? "" : " since " + h.since())
            + (h.lastError() == null ? "" : ": " + h.lastError()))));
    return out;
  }

  /** Of two views by one director (two ports of one member, two VirtualServices): failing wins, then the older. */
  static DirectorHealth worse(DirectorHealth a, DirectorHealth b) {
    boolean aDown = UNHEALTHY.equals(a.health());
    boolean bDown = UNHEALTHY.equals(b.health());
    if (aDown != bDown) {
      return aDown ? a : b;
    }
    if (a.since() == null || b.since() == null) {
      return a.since() == null ? b : a;
    }
    return a.since().compareTo(b.since()) <= 0 ? a : b;
  }
}
