package io.lvs.operator.plan;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two VirtualServices claiming the same vip:port/protocol (or fwmark): the older keeps it (then the
 * smaller namespace/name, so the choice is total), the newer is left out entirely and told who holds
 * what. A loser claims nothing, so it never pushes out a third one.
 */
public final class ConflictResolver {
  private ConflictResolver() {}

  /** Conflict messages by VirtualService key; winners are absent. */
  public static Map<String, String> losers(List<ServiceInput> services) {
    List<ServiceInput> ordered =
        services.stream()
            .filter(ServiceInput::active)
            .sorted(Comparator.comparing(ServiceInput::created).thenComparing(ServiceInput::key))
            .toList();
    Map<String, String> holder = new HashMap<>();
    Map<String, String> out = new LinkedHashMap<>();
    for (ServiceInput s : ordered) {
      List<String> claims = ServiceClaims.of(s.spec());
      String taken = null;
      for (String c : claims) {
        if (holder.containsKey(c)) {
          taken = c + " is held by VirtualService " + holder.get(c);
          break;
        }
      }
      if (taken != null) {
        out.put(s.key(), taken);
        continue;
      }
      claims.forEach(c -> holder.put(c, s.key()));
    }
    return out;
  }
}
