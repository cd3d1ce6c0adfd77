package io.lvs.agent.runtime.ha;

import io.lvs.agent.model.InterfaceAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this director's HA VIPs add up to: the elections, every director's name, where heartbeats
 * go and the only senders they are taken from (each peer's address, with the node name it must
 * carry), the heartbeat interval (the shortest any VIP asks for), where each VIP goes, whether
 * connection sync is on, and this node's own director address. Pure.
 */
public record HaTopology(
    List<ElectionLoop.HaVip> elections,
    Set<String> directors,
    List<InetSocketAddress> heartbeatTo,
    Map<InetAddress, String> senders,
    Duration heartbeatInterval,
    Map<String, InterfaceAddress> placement,
    Set<String> syncedVips,
    Optional<InetAddress> selfAddress) {
  public static final HaTopology NONE = of("", List.of(), 1);

  public static HaTopology of(String self, List<HaVipSpec> vips, int port) {
    Set<String> directors = new TreeSet<>();
    Map<InetAddress, String> senders = new HashMap<>();
    Map<String, InterfaceAddress> placement = new LinkedHashMap<>();
    Set<String> synced = new TreeSet<>();
    Duration interval = null;
    InetAddress selfAddress = null;
    for (HaVipSpec v : vips) {
      directors.addAll(v.directors().keySet());
      v.directors().forEach((node, ip) -> {
        if (!node.equals(self)) {
          senders.put(ip, node);
        }
      });
      selfAddress = selfAddress != null ? selfAddress : v.directors().get(self);
      placement.put(v.vip(), v.address());
      if (v.connectionSync()) {
        synced.add(v.vip());
      }
      interval = interval == null || v.heartbeatInterval().compareTo(interval) < 0 ? v.heartbeatInterval() : interval;
    }
    List<InetSocketAddress> to = senders.keySet().stream().map(ip -> new InetSocketAddress(ip, port))
        .sorted(java.util.Comparator.comparing(InetSocketAddress::toString)).toList();
    return new HaTopology(vips.stream().map(HaVipSpec::election).toList(), directors, to, Map.copyOf(senders),
        interval == null ? HaCandidates.DEFAULT_HEARTBEAT : interval, placement, synced, Optional.ofNullable(selfAddress));
  }

  public boolean empty() {
    return elections.isEmpty();
  }

  /** Whether a heartbeat naming {@code node} may come from {@code from}: a director, under its own name. */
  public boolean accepts(InetAddress from, String node) {
    return node.equals(senders.get(from));
  }
}
