package io.lvs.agent.podnet;

import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.runtime.IpLiterals;
import io.lvs.api.v1alpha1.NodeAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What each pod real server's namespace must hold, from the spec's addresses that name a
 * {@code podIp}. Pure. Inside the pod, as on a real-server host (docs/modes.md): DR puts the VIP on
 * lo; Tunnel brings tunl0 up with the VIP on it and relaxes rp_filter (decapsulated packets arrive
 * on tunl0 from a source routed elsewhere); both (IPv4) set arp_ignore=1 / arp_announce=2 on all
 * and the VIP's interface, so the pod's eth0 never answers ARP for the VIP. IPv6 needs no sysctls.
 *
 * @param pods per pod IP, its namespace's desired state and the owners that want it
 * @param errors per owner, entries that could not be read (field and value named)
 */
public record PodRealServers(Map<InetAddress, Want> pods, Map<String, List<String>> errors) {
  public PodRealServers {
    pods = Collections.unmodifiableMap(new LinkedHashMap<>(pods));
    errors = Collections.unmodifiableMap(new TreeMap<>(errors));
  }

  public static final PodRealServers NONE = new PodRealServers(Map.of(), Map.of());

  /** One pod namespace's part: the desired state and its owners. */
  public record Want(DesiredState desired, Set<String> owners) {
    public Want {
      owners = Collections.unmodifiableSet(new TreeSet<>(owners));
    }
  }

  /** True for an address entry that belongs inside a pod, not on the node. */
  public static boolean inPod(NodeAddress a) {
    return a.podIp() != null && !a.podIp().isBlank();
  }

  public static PodRealServers of(List<NodeAddress> addresses) {
    Map<InetAddress, DesiredState.Builder> builders = new TreeMap<>(java.util.Comparator.comparing(InetAddress::getHostAddress));
    Map<InetAddress, Set<String>> owners = new LinkedHashMap<>();
    Map<String, List<String>> errors = new TreeMap<>();
    for (NodeAddress a : addresses == null ? List.<NodeAddress>of() : addresses) {
      if (!inPod(a)) {
        continue;
      }
      String owner = a.owner() == null ? "(no owner)" : a.owner();
      InetAddress pod;
      InetAddress vip;
      try {
        pod = IpLiterals.parse(a.podIp());
      } catch (IllegalArgumentException e) {
        errors.computeIfAbsent(owner, k -> new ArrayList<>()).add("podIp: '" + a.podIp() + "' is not an IP address");
        continue;
      }
      try {
        vip = IpLiterals.parse(a.address());
      } catch (IllegalArgumentException e) {
        errors.computeIfAbsent(owner, k -> new ArrayList<>()).add("address: '" + a.address() + "' is not an IP address");
        continue;
      }
      String iface = a.interfaceName() == null || a.interfaceName().isBlank() ? "lo" : a.interfaceName();
      if (!iface.equals("lo") && !iface.equals("tunl0")) {
        errors.computeIfAbsent(owner, k -> new ArrayList<>())
            .add("interfaceName: '" + iface + "' cannot hold a pod's VIP (lo for DR, tunl0 for Tunnel)");
        continue;
      }
      boolean v6 = vip.getAddress().length == 16;
      int prefix = a.prefixLength() == null ? (v6 ? 128 : 32) : a.prefixLength();
      DesiredState.Builder b = builders.computeIfAbsent(pod, k -> DesiredState.builder());
      owners.computeIfAbsent(pod, k -> new TreeSet<>()).add(owner);
      if (iface.equals("tunl0")) {
        b.link("tunl0", "ipip", owner);
        b.sysctl("net.ipv4.conf.tunl0.rp_filter", "0", owner);
        b.sysctl("net.ipv4.conf.all.rp_filter", "0", owner);
      }
      b.address(new InterfaceAddress(iface, vip, prefix), owner, false);
      if (!v6) {
        for (String i : List.of("all", iface)) {
          b.sysctl("net.ipv4.conf." + i + ".arp_ignore", "1", owner);
          b.sysctl("net.ipv4.conf." + i + ".arp_announce", "2", owner);
        }
      }
    }
    Map<InetAddress, Want> pods = new LinkedHashMap<>();
    builders.forEach((ip, b) -> pods.put(ip, new Want(b.build(), owners.get(ip))));
    return new PodRealServers(pods, errors);
  }
}
