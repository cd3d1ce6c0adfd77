package io.lvs.agent.runtime;

import io.lvs.agent.dataplane.DesiredDestination;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.MarkRule;
import io.lvs.agent.dataplane.SnatRule;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.Family;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.TunnelType;
import io.lvs.agent.runtime.health.HealthTarget;
import io.lvs.agent.runtime.health.MemberKey;
import io.lvs.api.v1alpha1.AddressFamily;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeAddress;
import io.lvs.api.v1alpha1.NodeDestination;
import io.lvs.api.v1alpha1.NodeIpvsService;
import io.lvs.api.v1alpha1.NodeLink;
import io.lvs.api.v1alpha1.NodeMark;
import io.lvs.api.v1alpha1.NodeSnat;
import io.lvs.api.v1alpha1.NodeSysctl;
import io.lvs.api.v1alpha1.Protocol;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * LvsNodeState spec (what the operator wants on this node) to the dataplane's desired state. Pure.
 * An entry that cannot be translated (a bad address, an unknown flag) is left out and reported to
 * its owner with the field path; it never stops the other entries. Defaults are ipvsadm's: TCP,
 * scheduler wlc, weight 1, persistence netmask /32 (/128), addresses on lo. An address with
 * {@code interfaceOf} (and no {@code interfaceName}) goes on the interface that holds that other
 * address, looked up in {@link AddressHolders}, a snapshot of the kernel's addresses the caller
 * takes; the held address is only read, never part of the desired state.
 */
public final class NodeStateTranslator {
  static final String DEFAULT_SCHEDULER = "wlc";
  static final String NO_OWNER = "(no owner)";

  /** Names an entry in error messages: "spec.services[3]" by default. */
  @FunctionalInterface
  public interface EntryPaths {
    EntryPaths PLAIN = (list, index) -> "spec." + list + "[" + index + "]";

    String of(String list, int index);
  }

  /**
   * Which interface holds an address, for {@code interfaceOf}: empty when none does. Throws
   * IllegalArgumentException when it cannot tell (the addresses could not be read).
   */
  @FunctionalInterface
  public interface AddressHolders {
    /** Knows no address: every {@code interfaceOf} entry is refused. */
    AddressHolders NONE = ip -> Optional.empty();

    Optional<String> interfaceOf(InetAddress address);

    /**
     * From a snapshot of the kernel's addresses (an RTM_GETADDR dump): an address held on several
     * interfaces resolves to the first one in the dump's order that is not lo, else lo.
     */
    static AddressHolders of(Collection<InterfaceAddress> addresses) {
      Map<InetAddress, String> holders = new HashMap<>();
      for (InterfaceAddress a : addresses) {
        holders.merge(a.address(), a.interfaceName(), (first, next) -> "lo".equals(first) ? next : first);
      }
      return ip -> Optional.ofNullable(holders.get(ip));
    }

    /**
     * Reads {@code dump} on first use only (at most once, so a sync that names no
     * {@code interfaceOf} costs no dump); a failed read refuses every lookup with its message.
     */
    static AddressHolders lazy(Supplier<? extends Collection<InterfaceAddress>> dump) {
      return new AddressHolders() {
        private AddressHolders snapshot;
        private String failure;

        @Override
        public Optional<String> interfaceOf(InetAddress address) {
          if (snapshot == null && failure == null) {
            try {
              snapshot = of(dump.get());
            } catch (RuntimeException e) {
              failure = "cannot read this node's addresses: " + (e.getMessage() == null ? e : e.getMessage());
            }
          }
          if (failure != null) {
            throw new IllegalArgumentException(failure);
          }
          return snapshot.interfaceOf(address);
        }
      };
    }
  }

  /** An entry's field that cannot be translated: reported as "spec.LIST[i].FIELD: message". */
  static final class FieldException extends IllegalArgumentException {
    final String field;

    FieldException(String field, String message) {
      super(message);
      this.field = field;
    }
  }

  public Translation translate(LvsNodeStateSpec spec) {
    return translate(spec, EntryPaths.PLAIN);
  }

  /** As {@link #translate(LvsNodeStateSpec)}, naming entries with {@code paths} (a slice union names each in its own slice). */
  public Translation translate(LvsNodeStateSpec spec, EntryPaths paths) {
    return translate(spec, paths, AddressHolders.NONE);
  }

  /** As {@link #translate(LvsNodeStateSpec, EntryPaths)}, resolving {@code interfaceOf} with {@code holders}. */
  public Translation translate(LvsNodeStateSpec spec, EntryPaths paths, AddressHolders holders) {
    if (spec == null) {
      return Translation.EMPTY;
    }
    DesiredState.Builder b = DesiredState.builder();
    Map<String, List<String>> errors = Translation.newErrors();
    Set<String> owners = new LinkedHashSet<>();
    Map<MemberKey, HealthTarget> health = new LinkedHashMap<>();
    List<NodeIpvsService> services = orEmpty(spec.services());
    Map<String, Long> clientMarks = ClientServices.marks(services);
    ValuePool pool = new ValuePool();
    for (int i = 0; i < services.size(); i++) {
      NodeIpvsService s = services.get(i);
      String owner = owner(s.owner());
      owners.add(owner);
      String path = paths.of("services", i);
      if (s.inCluster() != null) { // this node's own clients' service (docs/in-cluster.md)
        try {
          ClientServices.Translated t = ClientServices.translate(s, clientMarks.get(ClientServices.key(s)), path, holders);
          b.service(t.service());
          b.mark(t.mark());
        } catch (IllegalArgumentException e) {
          Translation.add(errors, owner, path + ": " + e.getMessage());
        }
        continue;
      }
      try {
        DesiredService ds = service(s, path, pool);
        b.service(ds);
        if (s.healthCheck() != null) {
          ds.destinations().forEach((k, d) -> {
            if (!d.draining()) {
              health.put(new MemberKey(ds.key(), k), HealthTarget.of(s.healthCheck(), k.address(), k.port()));
            }
          });
        }
      } catch (IllegalArgumentException e) {
        Translation.add(errors, owner, path + ": " + e.getMessage());
      }
    }
    List<NodeAddress> addresses = orEmpty(spec.addresses());
    for (int i = 0; i < addresses.size(); i++) {
      NodeAddress a = addresses.get(i);
      String owner = owner(a.owner());
      owners.add(owner);
      if (io.lvs.agent.podnet.PodRealServers.inPod(a)) {
        continue; // inside a pod, not on this node: podnet.PodRealServers reads it
      }
      try {
        b.address(interfaceAddress(a, holders), owner, Boolean.TRUE.equals(a.announce()));
      } catch (FieldException e) {
        Translation.add(errors, owner, paths.of("addresses", i) + "." + e.field + ": " + e.getMessage());
      } catch (IllegalArgumentException e) {
        Translation.add(errors, owner, paths.of("addresses", i) + ": " + e.getMessage());
      }
    }
    List<NodeLink> links = orEmpty(spec.links());
    for (int i = 0; i < links.size(); i++) {
      NodeLink l = links.get(i);
      String owner = owner(l.owner());
      owners.add(owner);
      if (l.name() == null || l.name().isBlank() || l.type() == null || l.type().isBlank()) {
        Translation.add(errors, owner, paths.of("links", i) + ": name and type are required");
      } else {
        b.link(l.name(), l.type(), owner);
      }
    }
    List<NodeSysctl> sysctls = orEmpty(spec.sysctls());
    for (int i = 0; i < sysctls.size(); i++) {
      NodeSysctl s = sysctls.get(i);
      String owner = owner(s.owner());
      owners.add(owner);
      if (s.key() == null || !s.key().matches("^[a-z0-9_]+(\\.[A-Za-z0-9_\\-]+)+$") || s.value() == null) {
        Translation.add(errors, owner, paths.of("sysctls", i) + ": key " + s.key() + " / value " + s.value() + " invalid");
      } else {
        b.sysctl(s.key(), s.value(), owner);
      }
    }
    List<NodeSnat> snat = orEmpty(spec.snat());
    for (int i = 0; i < snat.size(); i++) {
      NodeSnat s = snat.get(i);
      String owner = owner(s.owner());
      owners.add(owner);
      try {
        b.snat(snat(s, owner));
      } catch (IllegalArgumentException e) {
        Translation.add(errors, owner, paths.of("snat", i) + ": " + e.getMessage());
      }
    }
    List<NodeMark> marks = orEmpty(spec.marks());
    for (int i = 0; i < marks.size(); i++) {
      NodeMark m = marks.get(i);
      String owner = owner(m.owner());
      owners.add(owner);
      try {
        b.mark(mark(m, owner));
      } catch (IllegalArgumentException e) {
        Translation.add(errors, owner, paths.of("marks", i) + ": " + e.getMessage());
      }
    }
    DesiredState desired = b.build();
    // only members of services this spec entry really got (not one refused as a duplicate key)
    health.keySet().removeIf(m -> !desired.services().containsKey(m.service())
        || !desired.services().get(m.service()).destinations().containsKey(m.destination()));
    return new Translation(desired, errors, owners, health);
  }

  static DesiredService service(NodeIpvsService s, String path) {
    return service(s, path, new ValuePool());
  }

  /** {@code pool}: the translation's, sharing equal destination keys and addresses across services. */
  static DesiredService service(NodeIpvsService s, String path, ValuePool pool) {
    ServiceKey key = serviceKey(s);
    boolean v6 = key.family() == Family.INET6;
    int flags = flags(s.flags());
    int timeout = 0;
    if (s.persistenceTimeoutSeconds() != null && s.persistenceTimeoutSeconds() > 0) {
      flags |= IpvsService.F_PERSISTENT;
      timeout = s.persistenceTimeoutSeconds();
    }
    int netmask = s.netmaskPrefixLength() != null ? s.netmaskPrefixLength() : (v6 ? 128 : 32);
    // the kernel takes 0-32 for IPv4 (a mask) but 1-128 for IPv6 (a prefix length): 0 is EINVAL there
    if (netmask < (v6 ? 1 : 0) || netmask > (v6 ? 128 : 32)) {
      throw new IllegalArgumentException("netmaskPrefixLength " + netmask + " out of range for " + key.family()
          + " (" + (v6 ? "1-128" : "0-32") + ")");
    }
    String scheduler = s.scheduler() == null || s.scheduler().isBlank() ? DEFAULT_SCHEDULER : s.scheduler();
    IpvsService svc = new IpvsService(key, scheduler, flags, timeout, netmask);
    List<DesiredDestination> dests = new ArrayList<>();
    List<NodeDestination> in = orEmpty(s.destinations());
    for (int i = 0; i < in.size(); i++) {
      try {
        dests.add(desiredDestination(in.get(i), key, pool));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("destinations[" + i + "]: " + e.getMessage(), e);
      }
    }
    return DesiredService.of(owner(s.owner()), svc, dests).withDrainGracePeriod(Duration.ZERO);
  }

  static ServiceKey serviceKey(NodeIpvsService s) {
    if (s.fwmark() != null && s.fwmark() != 0) {
      if (s.vip() != null) {
        throw new IllegalArgumentException("both vip and fwmark set");
      }
      if (s.fwmark() < 0 || s.fwmark() > 0xffffffffL) {
        throw new IllegalArgumentException("fwmark " + s.fwmark() + " out of range");
      }
      return ServiceKey.ofFwmark(s.family() == AddressFamily.IPv6 ? Family.INET6 : Family.INET, s.fwmark());
    }
    InetAddress vip;
    try {
      vip = IpLiterals.parse(s.vip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("vip: " + e.getMessage(), e);
    }
    if (s.port() == null || s.port() < 0 || s.port() > 65535) {
      throw new IllegalArgumentException("port " + s.port() + " missing or out of range");
    }
    return ServiceKey.of(protocol(s.protocol()), vip, s.port());
  }

  static Destination destination(NodeDestination d, ServiceKey service) {
    return destination(d, service, new ValuePool());
  }

  private static Destination destination(NodeDestination d, ServiceKey service, ValuePool pool) {
    InetAddress address;
    try {
      address = IpLiterals.parse(d.address());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("address: " + e.getMessage(), e);
    }
    if (!service.isFwmark() && Family.of(address) != service.family()) {
      // IPVS can mix families only for tunnelled destinations; the operator never asks for it
      throw new IllegalArgumentException("address " + d.address() + " is not " + service.family() + " like the vip");
    }
    int port = d.port() != null ? d.port() : service.port();
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " out of range");
    }
    int weight = d.weight() != null ? d.weight() : 1;
    if (weight < 0) {
      throw new IllegalArgumentException("weight " + weight + " is negative");
    }
    Forwarding fwd = d.forwarding() != null ? d.forwarding() : Forwarding.DirectRouting;
    ForwardMethod method = switch (fwd) {
      case DirectRouting -> ForwardMethod.DROUTE;
      case NAT, FullNAT -> ForwardMethod.MASQ;
      case Tunnel -> ForwardMethod.TUNNEL;
    };
    TunnelType tunnel = tunnelType(d.tunnelType());
    long upper = d.upperThreshold() != null ? d.upperThreshold() : 0;
    long lower = d.lowerThreshold() != null ? d.lowerThreshold() : 0;
    DestinationKey key = pool.shared(new DestinationKey(pool.shared(address), port));
    return new Destination(key, method, weight, upper, lower, tunnel, 0, 0);
  }

  public static DesiredDestination desiredDestination(NodeDestination d, ServiceKey service) {
    return desiredDestination(d, service, new ValuePool());
  }

  private static DesiredDestination desiredDestination(NodeDestination d, ServiceKey service, ValuePool pool) {
    return new DesiredDestination(destination(d, service, pool), Boolean.TRUE.equals(d.draining()));
  }

  static TunnelType tunnelType(String t) {
    if (t == null || t.isBlank()) {
      return TunnelType.IPIP;
    }
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "ipip" -> TunnelType.IPIP;
      case "gue" -> TunnelType.GUE;
      case "gre" -> TunnelType.GRE;
      default -> throw new IllegalArgumentException("tunnelType \"" + t + "\" is not ipip, gue or gre");
    };
  }

  /**
   * ipvsadm's flag words: sh-fallback / mh-fallback (IP_VS_SVC_F_SCHED1), sh-port / mh-port
   * (SCHED2), one-packet (ONEPACKET), persistent (also implied by a persistence timeout).
   */
  static int flags(List<String> words) {
    int flags = 0;
    for (String w : orEmpty(words)) {
      flags |= switch (w == null ? "" : w.toLowerCase(Locale.ROOT)) {
        case "sh-fallback", "mh-fallback", "flag-1" -> IpvsService.F_SCHED1;
        case "sh-port", "mh-port", "flag-2" -> IpvsService.F_SCHED2;
        case "flag-3" -> IpvsService.F_SCHED3;
        case "one-packet", "onepacket", "ops" -> IpvsService.F_ONEPACKET;
        case "persistent" -> IpvsService.F_PERSISTENT;
        default -> throw new IllegalArgumentException("flags: unknown flag \"" + w + "\"");
      };
    }
    return flags;
  }

  static InterfaceAddress interfaceAddress(NodeAddress a) {
    return interfaceAddress(a, AddressHolders.NONE);
  }

  static InterfaceAddress interfaceAddress(NodeAddress a, AddressHolders holders) {
    InetAddress ip;
    try {
      ip = IpLiterals.parse(a.address());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("address: " + e.getMessage(), e);
    }
    int max = Family.of(ip) == Family.INET6 ? 128 : 32;
    int prefix = a.prefixLength() != null ? a.prefixLength() : max;
    if (prefix < 0 || prefix > max) {
      throw new IllegalArgumentException("prefixLength " + prefix + " out of range");
    }
    String dev;
    if (a.interfaceName() != null && !a.interfaceName().isBlank()) {
      dev = a.interfaceName();
    } else if (a.interfaceOf() != null && !a.interfaceOf().isBlank()) {
      dev = holderOf(a.interfaceOf(), holders);
    } else {
      dev = "lo";
    }
    return new InterfaceAddress(dev, ip, prefix);
  }

  /** The interface holding {@code literal} (only looked up: that address is not ours). */
  private static String holderOf(String literal, AddressHolders holders) {
    InetAddress held;
    try {
      held = IpLiterals.parse(literal);
    } catch (IllegalArgumentException e) {
      throw new FieldException("interfaceOf", e.getMessage());
    }
    try {
      return holders.interfaceOf(held)
          .orElseThrow(() -> new FieldException("interfaceOf", "no interface holds " + literal));
    } catch (FieldException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new FieldException("interfaceOf", e.getMessage());
    }
  }

  static SnatRule snat(NodeSnat s, String owner) {
    List<InetAddress> servers = new ArrayList<>();
    for (String rs : orEmpty(s.realServers())) {
      servers.add(IpLiterals.parse(rs));
    }
    if (s.port() == null || s.port() < 0 || s.port() > 65535) {
      throw new IllegalArgumentException("port " + s.port() + " missing or out of range");
    }
    InetAddress to;
    try {
      to = IpLiterals.parse(s.toSource());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("toSource: " + e.getMessage(), e);
    }
    return new SnatRule(owner, protocol(s.protocol()), servers, s.port(), to);
  }

  static MarkRule mark(NodeMark m, String owner) {
    if (m.mark() == null) {
      throw new IllegalArgumentException("mark missing");
    }
    InetAddress net = IpLiterals.parse(m.address());
    int bits = net.getAddress().length * 8;
    int prefix = m.prefixLength() == null ? bits : m.prefixLength();
    int port = m.port() == null ? 0 : m.port();
    int end = m.endPort() == null ? port : m.endPort();
    if (m.port() == null && m.endPort() != null) {
      throw new IllegalArgumentException("endPort " + m.endPort() + " without port");
    }
    if (m.port() != null && m.port() < 1) {
      throw new IllegalArgumentException("port " + m.port() + " out of range");
    }
    return new MarkRule(owner, m.mark(), net, prefix, protocol(m.protocol()), port, end);
  }

  static IpProtocol protocol(Protocol p) {
    if (p == null) {
      return IpProtocol.TCP;
    }
    return switch (p) {
      case TCP -> IpProtocol.TCP;
      case UDP -> IpProtocol.UDP;
      case SCTP -> IpProtocol.SCTP;
    };
  }

  static String owner(String owner) {
    return owner == null || owner.isBlank() ? NO_OWNER : owner;
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }
}
