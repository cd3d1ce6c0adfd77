package io.lvs.e2e.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the lab's kernels hold, per namespace, in the words of Debian's tools: the IPVS table
 * ({@code ipvsadm -S -n}), addresses and links ({@code ip -o}), the sysctls the product may touch,
 * and the nftables ruleset. Two snapshots compare line by line, so "deletion leaves the kernel as
 * before" is a diff that must come out empty.
 */
public record KernelSnapshot(Map<String, List<String>> byNamespace) {
  /** Sysctls an agent may set for a node role (DR/TUN real server, NAT/FullNAT director). */
  static final List<String> SYSCTLS = sysctlKeys();

  public KernelSnapshot {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    byNamespace.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    byNamespace = java.util.Collections.unmodifiableMap(copy);
  }

  /** Reads every namespace in one shell script (process starts are dear under emulation). */
  public static KernelSnapshot take(Collection<String> namespaces) {
    StringBuilder sh = new StringBuilder();
    for (String ns : namespaces) {
      String x = "ip netns exec " + ns + " ";
      sh.append("echo '@@ ").append(ns).append("'\n")
          .append(x).append("ipvsadm -S -n | sed 's/^/ipvs /'\n")
          // lifetimes count down; the address itself and its flags are what matters
          .append(x).append("ip -o addr show | sed 's/\\\\.*valid_lft.*$//; s/^/addr /'\n")
          .append(x).append("ip -o link show | awk '{print \"link \" $2 \" \" $3}'\n")
          .append(x).append("ip route show | sed 's/^/route /'\n")
          .append(x).append("nft list ruleset 2>/dev/null | sed 's/^/nft /'\n");
      StringBuilder paths = new StringBuilder();
      for (String key : SYSCTLS) {
        paths.append(" /proc/sys/").append(key.replace('.', '/'));
      }
      sh.append(x).append("sh -c 'for p in").append(paths)
          .append("; do [ -e $p ] && echo \"sysctl ${p#/proc/sys/}=$(cat $p)\"; done; true'\n");
    }
    String out = Shell.run(java.time.Duration.ofSeconds(120), List.of("sh", "-c", sh.toString())).orThrow();
    Map<String, List<String>> by = new LinkedHashMap<>();
    List<String> current = null;
    for (String raw : out.split("\n")) {
      if (raw.startsWith("@@ ")) {
        current = new ArrayList<>();
        by.put(raw.substring(3).strip(), current);
      } else if (current != null && !raw.isBlank()) {
        current.add(raw.replaceAll("\\s+", " ").strip());
      }
    }
    return new KernelSnapshot(by);
  }

  /** Lines only in this snapshot ("-") or only in the other ("+"), prefixed with the namespace. */
  public List<String> diff(KernelSnapshot after) {
    List<String> out = new ArrayList<>();
    TreeSet<String> namespaces = new TreeSet<>(byNamespace.keySet());
    namespaces.addAll(after.byNamespace.keySet());
    for (String ns : namespaces) {
      List<String> a = byNamespace.getOrDefault(ns, List.of());
      List<String> b = after.byNamespace.getOrDefault(ns, List.of());
      a.stream().filter(l -> !b.contains(l)).forEach(l -> out.add(ns + ": - " + l));
      b.stream().filter(l -> !a.contains(l)).forEach(l -> out.add(ns + ": + " + l));
    }
    return out;
  }

  private static List<String> sysctlKeys() {
    List<String> keys = new ArrayList<>(List.of("net.ipv4.ip_forward", "net.ipv4.vs.conntrack", "net.ipv4.vs.expire_nodest_conn"));
    for (String dev : List.of("all", "default", "lo", "eth0", "tunl0")) {
      for (String k : Arrays.asList("arp_ignore", "arp_announce", "rp_filter", "forwarding")) {
        keys.add("net.ipv4.conf." + dev + "." + k);
      }
    }
    return List.copyOf(keys);
  }
}
