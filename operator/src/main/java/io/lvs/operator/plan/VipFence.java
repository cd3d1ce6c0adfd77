package io.lvs.operator.plan;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The VIP handover fence, in one place. Each VIP has a Lease naming the director that holds it. A
 * director is given a VIP only while that Lease names it (or names nobody yet), so a handover takes
 * three steps: the plan gives the VIP to nobody and is written (the old holder drops it), the Lease
 * moves, and the next plan gives it to the new holder. No two node specs ever hold one VIP. Pure:
 * the sync performs the Lease writes these decide.
 */
public final class VipFence {
  private VipFence() {}

  /** Who may hold the VIP in this plan: the chosen director once the Lease names it or nobody, else nobody. */
  public static String granted(String chosen, String leaseHolder) {
    return leaseHolder == null || leaseHolder.equals(chosen) ? chosen : null;
  }

  /** Step 1, before the node objects are written: Leases for VIPs nobody held yet (vip -> holder). */
  public static Map<String, String> newLeases(Map<String, String> chosen, Map<String, String> leases) {
    Map<String, String> out = new TreeMap<>();
    chosen.forEach((vip, node) -> {
      if (!leases.containsKey(vip)) {
        out.put(vip, node);
      }
    });
    return out;
  }

  /** Step 2, once the old holder's spec without the VIP is written: Leases to move (vip -> new holder). */
  public static Map<String, String> moves(Map<String, String> chosen, Map<String, String> leases) {
    Map<String, String> out = new TreeMap<>();
    chosen.forEach((vip, node) -> {
      String was = leases.get(vip);
      if (was != null && !was.equals(node)) {
        out.put(vip, node);
      }
    });
    return out;
  }

  /** Leases of VIPs no VirtualService is given any more. */
  public static Set<String> releases(Map<String, String> chosen, Set<String> leased) {
    Set<String> out = new TreeSet<>(leased);
    out.removeAll(chosen.keySet());
    return out;
  }
}
