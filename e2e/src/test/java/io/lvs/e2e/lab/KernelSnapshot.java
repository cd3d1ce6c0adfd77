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

  /**
   * (dash's read returns 1 on /proc/sys files although it reads the value: hence no &&.)
   * Reads every namespace with one shell script and three tools per namespace (ipvsadm, one
   * ip -batch for addresses, links and routes, nft); sysctls with shell builtins. Process starts
   * are dear under emulation.
   */
  public static KernelSnapshot take(Collection<String> namespaces) {
    return parse(Shell.run(java.time.Duration.ofSeconds(300), List.of("sh", "-c", script(namespaces))).orThrow());
  }

  /** The shell script {@link #take} runs; the cluster lane runs it inside its VM. */
  public static String script(Collection<String> namespaces) {
    StringBuilder paths = new StringBuilder();
    for (String key : SYSCTLS) {
      paths.append(" /proc/sys/").append(key.replace('.', '/'));
    }
    String perNamespace = "ipvsadm -S -n | while read -r l; do echo \"ipvs $l\"; done; "
        + "printf 'addr show\\nlink show\\nroute show\\n' | ip -o -batch - | while read -r l; do echo \"ip $l\"; done; "
        + "nft list ruleset 2>/dev/null | while read -r l; do echo \"nft $l\"; done; "
        + "for p in" + paths + "; do [ -e $p ] && { read -r v < $p; echo \"sysctl ${p#/proc/sys/}=$v\"; }; done; true";
    StringBuilder sh = new StringBuilder();
    for (String ns : namespaces) {
      sh.append("echo '@@ ").append(ns).append("'\n")
          .append("ip netns exec ").append(ns).append(" sh -c '").append(perNamespace.replace("'", "'\\''")).append("'\n");
    }
    return sh.toString();
  }

  /** Reads what {@link #script} printed. */
  public static KernelSnapshot parse(String out) {
    Map<String, List<String>> by = new LinkedHashMap<>();
    List<String> current = null;
    for (String raw : out.split("\n")) {
      if (raw.startsWith("@@ ")) {
        current = new ArrayList<>();
        by.put(raw.substring(3).strip(), current);
      } else if (current != null && !raw.isBlank()) {
        // address lifetimes count down and IPv6 link-local addresses leave DAD ("tentative") on
        // their own; the addresses themselves are what matters
        current.add(raw.replaceAll("\\\\.*valid_lft.*$", "").replace(" tentative", "").replaceAll("\\s+", " ").strip());
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
