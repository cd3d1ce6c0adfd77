package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.AddressFamily;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.Protocol;
import io.lvs.api.v1alpha1.SchedulerFlag;
import io.lvs.api.v1alpha1.ServicePort;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.operator.resolve.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One VirtualService's IPVS services and their destinations, as every one of its directors programs them. */
public final class IpvsServices {
  static final String DEFAULT_SCHEDULER = "wlc";
  static final String DEFAULT_TUNNEL = "ipip";
  /** The agent's word for IP_VS_SVC_F_ONEPACKET (ipvsadm -o). */
  static final String ONE_PACKET = "one-packet";

  private IpvsServices() {}

  /** A fwmark service: one IPVS service for the mark; else one per port. Members of the other family are left out. */
  static List<NodeIpvsService> of(ServiceInput s, List<Member> members, AddressFamily family) {
    VirtualServiceSpec spec = s.spec();
    String scheduler = spec.scheduler() == null ? DEFAULT_SCHEDULER : spec.scheduler().name();
    List<String> flags = flags(spec);
    Integer timeout = spec.persistence() == null ? null : spec.persistence().timeoutSeconds();
    Integer netmask = spec.persistence() == null ? null : spec.persistence().netmaskPrefixLength();
    List<NodeIpvsService> out = new ArrayList<>();
    if (spec.fwmark() != null) {
      out.add(
          new NodeIpvsService(
              s.key(), null, null, null, spec.fwmark(), family, scheduler, flags, timeout, netmask,
              destinations(s, members, null), s.healthCheck()));
      return out;
    }
    for (ServicePort p : spec.ports()) {
      Protocol proto = ServiceClaims.protocol(p);
      out.add(
          new NodeIpvsService(
              s.key(), spec.vip(), p.port(), proto, null, null, scheduler, flags, timeout, netmask,
              destinations(s, members, p), s.healthCheck()));
    }
    return out;
  }

  private static List<NodeDestination> destinations(ServiceInput s, List<Member> members, ServicePort p) {
    Forwarding fwd = s.spec().forwarding();
    String tunnel = fwd == Forwarding.Tunnel ? (s.spec().tunnelType() == null ? DEFAULT_TUNNEL : s.spec().tunnelType()) : null;
    Map<String, NodeDestination> out = new TreeMap<>();
    for (Member m : members) {
      int port = destinationPort(s.spec(), p, m);
      NodeDestination d =
          new NodeDestination(
              m.address(), port, m.effectiveWeight(), fwd, tunnel, s.upperThreshold(), s.lowerThreshold(),
              m.draining() ? Boolean.TRUE : null);
      // Two members collapsing on one address:port (DR ignores member ports): a serving one wins.
      out.merge(m.address() + "#" + port, d, (a, b) -> Boolean.TRUE.equals(a.draining()) ? b : a);
    }
    return new ArrayList<>(out.values());
  }

  /**
   * The port IPVS sends a member's traffic to for one service port ({@code null}: a fwmark
   * service): NAT and FullNAT rewrite to the targetPort, else the member's own port; DirectRouting
   * and Tunnel cannot rewrite, so the service port (0 for fwmark: the packet's own).
   */
  public static int destinationPort(VirtualServiceSpec spec, ServicePort p, Member m) {
    Forwarding fwd = spec.forwarding();
    if (fwd == Forwarding.NAT || fwd == Forwarding.FullNAT) {
      return p != null && p.targetPort() != null ? p.targetPort() : m.port();
    }
    return p == null ? 0 : p.port();
  }

  /** The service's flag words as the agent reads them (ipvsadm -b, plus -o one-packet); null when neither is set. */
  static List<String> flags(VirtualServiceSpec spec) {
    List<String> out = new ArrayList<>();
    if (spec.schedulerFlags() != null) {
      spec.schedulerFlags().forEach(f -> out.add(flag(f)));
    }
    if (Boolean.TRUE.equals(spec.onePacket())) {
      out.add(ONE_PACKET);
    }
    return spec.schedulerFlags() == null && out.isEmpty() ? null : out.stream().sorted().toList();
  }

  private static String flag(SchedulerFlag f) {
    return f.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
