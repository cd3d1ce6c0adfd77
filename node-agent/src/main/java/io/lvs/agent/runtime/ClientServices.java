package io.lvs.agent.runtime;

import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.nft.NetlinkClientTrafficClient;
import io.lvs.api.v1alpha1.AddressFamily;
import io.lvs.api.v1alpha1.NodeIpvsService;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;

/**
 * The in-cluster clients' services of a spec (docs/in-cluster.md): each (protocol, VIP, port) gets
 * a fwmark of the clients' range, an IPVS fwmark service with the entry's NAT destinations, and the
 * marking rule that feeds it with local traffic only. The marks are the agent's choice, so the
 * operator need not coordinate them across VirtualServices: a hash of the key (stable while the
 * key exists), probed on to the next free one in the keys' order when two collide.
 */
final class ClientServices {
  private ClientServices() {}

  /** One client service translated: what IPVS holds and the marking rule that feeds it. */
  record Translated(DesiredService service, MarkRule mark) {}

  static String key(NodeIpvsService s) {
    return NodeStateTranslator.protocol(s.protocol()) + "/" + s.vip() + ":" + s.port();
  }

  /** Marks by key for every in-cluster entry of {@code services}. */
  static Map<String, Long> marks(List<NodeIpvsService> services) {
    Set<String> keys = new TreeSet<>();
    services.stream().filter(s -> s.inCluster() != null).forEach(s -> keys.add(key(s)));
    Map<String, Long> out = new HashMap<>();
    Set<Integer> used = new HashSet<>();
    for (String k : keys) {
      CRC32 crc = new CRC32();
      crc.update(k.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      int n = (int) (crc.getValue() & 0xffff);
      n = n == 0 ? 1 : n;
      while (!used.add(n)) {
        n = n % 0xffff + 1;
      }
      out.put(k, NetlinkClientTrafficClient.MARK_BASE | n);
    }
    return out;
  }

  static Translated translate(NodeIpvsService s, long mark, String path, NodeStateTranslator.AddressHolders holders) {
    InetAddress vip = NodeStateTranslator.serviceKey(s).address(); // checks vip, port and protocol
    if (!(vip instanceof java.net.Inet4Address)) {
      throw new IllegalArgumentException("vip " + s.vip() + ": in-cluster clients are served for IPv4 vips only");
    }
    if (s.port() == null || s.port() < 1) {
      throw new IllegalArgumentException("port " + s.port() + " out of range for in-cluster clients");
    }
    if (s.inCluster().uplinkOf() == null) {
      throw new IllegalArgumentException("inCluster.uplinkOf missing");
    }
    InetAddress uplinkIp = IpLiterals.parse(s.inCluster().uplinkOf());
    String uplink = holders.interfaceOf(uplinkIp).orElseThrow(
        () -> new IllegalArgumentException("inCluster.uplinkOf: no interface holds " + s.inCluster().uplinkOf()));
    NodeIpvsService asFwmark = new NodeIpvsService(s.owner(), null, null, null, mark, AddressFamily.IPv4, s.scheduler(),
        s.flags(), s.persistenceTimeoutSeconds(), s.netmaskPrefixLength(), s.destinations(), null);
    DesiredService service = NodeStateTranslator.service(asFwmark, path);
    IpProtocol proto = NodeStateTranslator.protocol(s.protocol());
    return new Translated(service, new MarkRule(service.owner(), mark, vip, 32, proto, s.port(), s.port(), uplink));
  }
}
