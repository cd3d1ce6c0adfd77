package io.lvs.agent.runtime;

import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.ipvs.IpvsInfo;
import io.lvs.agent.ipvs.IpvsTimeouts;
import io.lvs.agent.ipvs.SyncDaemon;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import io.lvs.agent.rtnl.RtnlClient;
import io.lvs.agent.sysctl.Sysctl;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A kernel double for sync-loop tests: IPVS, addresses, links and sysctls keyed as the kernel keys
 * them, with the kernel's errors for duplicates and missing objects (EEXIST, ENOENT / ESRCH), a
 * count of mutating calls, and a switch that makes every call fail (EPERM) as a broken netlink would.
 */
public final class InMemoryKernel implements IpvsClient, RtnlClient, Sysctl {
  private IpvsTimeouts timeouts = new IpvsTimeouts(900, 120, 300);
  private final Map<ServiceKey, IpvsService> services = new LinkedHashMap<>();
  private final Map<ServiceKey, Map<DestinationKey, Destination>> dests = new LinkedHashMap<>();
  private final Set<InterfaceAddress> addresses = new LinkedHashSet<>();
  private final Map<String, Link> links = new LinkedHashMap<>();
  private final Map<String, String> sysctls = new HashMap<>();
  public final AtomicInteger mutations = new AtomicInteger();
  /** Reads of the whole IPVS table. */
  public final AtomicInteger dumps = new AtomicInteger();
  public final AtomicReference<String> broken = new AtomicReference<>();
  /** Shares no object with its callers, as the real kernel: writes store copies, reads return new ones. */
  private final boolean detached;

  public InMemoryKernel() {
    this(false);
  }

  /**
   * {@code detached}: IPVS writes store copies and dumps answer with new objects, as a netlink
   * client decodes them (what a memory measurement must see), instead of sharing the callers' objects.
   */
  public InMemoryKernel(boolean detached) {
    this.detached = detached;
    links.put("lo", new Link(1, "lo", null, true));
    sysctls.put("net.ipv4.conf.lo.arp_ignore", "0");
    sysctls.put("net.ipv4.conf.all.arp_ignore", "0");
    sysctls.put("net.ipv4.conf.all.arp_announce", "0");
    sysctls.put("net.ipv4.ip_forward", "0");
  }

  private void check(String op) {
    String b = broken.get();
    if (b != null) {
      throw new IllegalStateException(op + ": " + b);
    }
  }

  private void mutate(String op) {
    check(op);
    mutations.incrementAndGet();
  }

  @Override
  public synchronized List<ObservedService> dump() {
    check("IPVS_CMD_GET_SERVICE dump");
    dumps.incrementAndGet();
    List<ObservedService> out = new ArrayList<>();
    services.forEach((k, s) -> out.add(new ObservedService(copy(s),
        new Stats(3, 30, 0, 3000, 0, 0, 0, 0, 0, 0),
        dests.get(k).values().stream()
            .map(d -> new ObservedDestination(copy(d), 1, 0, 0, new Stats(1, 10, 0, 1000, 0, 0, 0, 0, 0, 0)))
            .toList())));
    return out;
  }

  private IpvsService copy(IpvsService s) {
    return detached ? fresh(s) : s;
  }

  private Destination copy(Destination d) {
    return detached ? fresh(d) : d;
  }

  private static IpvsService fresh(IpvsService s) {
    ServiceKey k = s.key();
    ServiceKey key = k.isFwmark() ? ServiceKey.ofFwmark(k.family(), k.fwmark())
        : new ServiceKey(k.family(), k.protocol(), fresh(k.address()), k.port(), 0);
    return new IpvsService(key, new String(s.scheduler()), s.flags(), s.timeoutSeconds(), s.netmaskPrefixLength());
  }

  private static Destination fresh(Destination d) {
    return new Destination(new DestinationKey(fresh(d.key().address()), d.key().port()), d.forwardMethod(), d.weight(),
        d.upperThreshold(), d.lowerThreshold(), d.tunnelType(), d.tunnelPort(), d.tunnelFlags());
  }

  private static InetAddress fresh(InetAddress a) {
    try {
      return InetAddress.getByAddress(a.getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void addService(IpvsService service) {
    mutate("add service " + service.key());
    IpvsService stored = copy(service); // keyed by its own key: nothing of the caller's is held
    if (services.putIfAbsent(stored.key(), stored) != null) {
      throw new IllegalStateException("add service " + service.key() + ": EEXIST (errno 17)");
    }
    dests.put(stored.key(), new LinkedHashMap<>());
  }

  @Override
  public synchronized void updateService(IpvsService service) {
    mutate("update service " + service.key());
    if (services.replace(service.key(), copy(service)) == null) {
      throw new IllegalStateException("update service " + service.key() + ": ESRCH (errno 3)");
    }
  }

  @Override
  public synchronized void deleteService(ServiceKey key) {
    mutate("delete service " + key);
    if (services.remove(key) == null) {
      throw new IllegalStateException("delete service " + key + ": ESRCH (errno 3)");
    }
    dests.remove(key);
  }

  @Override
  public synchronized void addDestination(ServiceKey service, Destination destination) {
    mutate("add destination " + destination.key());
    Map<DestinationKey, Destination> m = dests.get(service);
    if (m == null) {
      throw new IllegalStateException("add destination " + destination.key() + " to " + service + ": ESRCH (errno 3)");
    }
    Destination stored = copy(destination);
    if (m.putIfAbsent(stored.key(), stored) != null) {
      throw new IllegalStateException("add destination " + destination.key() + " to " + service + ": EEXIST (errno 17)");
    }
  }

  @Override
  public synchronized void updateDestination(ServiceKey service, Destination destination) {
    mutate("update destination " + destination.key());
    Map<DestinationKey, Destination> m = dests.get(service);
    if (m == null || m.replace(destination.key(), copy(destination)) == null) {
      throw new IllegalStateException("update destination " + destination.key() + " of " + service + ": ENOENT (errno 2)");
    }
  }

  @Override
  public synchronized void deleteDestination(ServiceKey service, DestinationKey destination) {
    mutate("delete destination " + destination);
    Map<DestinationKey, Destination> m = dests.get(service);
    if (m == null || m.remove(destination) == null) {
      throw new IllegalStateException("delete destination " + destination + " of " + service + ": ENOENT (errno 2)");
    }
  }

  @Override
  public IpvsInfo info() {
    return new IpvsInfo(0x010201, 4096);
  }

  @Override
  public synchronized IpvsTimeouts timeouts() {
    return timeouts;
  }

  /** As the kernel: a 0 leaves that timeout unchanged. */
  @Override
  public synchronized void setTimeouts(IpvsTimeouts t) {
    mutations.incrementAndGet();
    timeouts = new IpvsTimeouts(t.tcpSeconds() == 0 ? timeouts.tcpSeconds() : t.tcpSeconds(),
        t.tcpFinSeconds() == 0 ? timeouts.tcpFinSeconds() : t.tcpFinSeconds(),
        t.udpSeconds() == 0 ? timeouts.udpSeconds() : t.udpSeconds());
  }

  @Override
  public List<SyncDaemon> daemons() {
    return List.of();
  }

  @Override
  public void startDaemon(SyncDaemon daemon) {
    throw new UnsupportedOperationException("not used by the sync loop");
  }

  @Override
  public void stopDaemon(SyncDaemon.State state) {
    throw new UnsupportedOperationException("not used by the sync loop");
  }

  @Override
  public synchronized List<InterfaceAddress> addresses() {
    check("RTM_GETADDR dump");
    return List.copyOf(addresses);
  }

  @Override
  public synchronized void announce(InterfaceAddress address) {
    // nothing on a segment to tell in memory; the Applier's announcing is tested on FakeRtnl
  }

  @Override
  public synchronized void addAddress(InterfaceAddress address) {
    mutate("add address " + address);
    if (!links.containsKey(address.interfaceName())) {
      throw new IllegalStateException("add address " + address + ": ENODEV (errno 19)");
    }
    if (!addresses.add(address)) {
      throw new IllegalStateException("add address " + address + ": EEXIST (errno 17)");
    }
  }

  @Override
  public synchronized void deleteAddress(InterfaceAddress address) {
    mutate("delete address " + address);
    if (!addresses.remove(address)) {
      throw new IllegalStateException("delete address " + address + ": EADDRNOTAVAIL (errno 99)");
    }
  }

  @Override
  public synchronized Optional<Integer> linkIndex(String name) {
    return Optional.ofNullable(links.get(name)).map(Link::index);
  }

  @Override
  public synchronized List<Link> links() {
    check("RTM_GETLINK dump");
    return List.copyOf(links.values());
  }

  @Override
  public synchronized void addLink(String name, String kind) {
    mutate("add link " + name);
    if (links.putIfAbsent(name, new Link(links.size() + 1, name, kind, false)) != null) {
      throw new IllegalStateException("add link " + name + ": EEXIST (errno 17)");
    }
  }

  @Override
  public synchronized void deleteLink(String name) {
    mutate("delete link " + name);
    if (links.remove(name) == null) {
      throw new IllegalStateException("delete link " + name + ": ENODEV (errno 19)");
    }
  }

  @Override
  public synchronized void setLinkUp(String name) {
    mutate("set link up " + name);
    Link l = links.get(name);
    if (l == null) {
      throw new IllegalStateException("set link " + name + " up: ENODEV (errno 19)");
    }
    links.put(name, new Link(l.index(), name, l.kind(), true));
  }

  @Override
  public synchronized Optional<String> read(String key) {
    check("read " + key);
    return Optional.ofNullable(sysctls.get(key));
  }

  @Override
  public synchronized void write(String key, String value) {
    mutate("write " + key);
    if (!sysctls.containsKey(key)) {
      throw new IllegalStateException("write sysctl " + key + "=" + value + ": ENOENT");
    }
    sysctls.put(key, value);
  }

  // test access, bypassing the mutation counter: what an administrator or kube-proxy would do
  public synchronized Map<ServiceKey, IpvsService> services() {
    return Map.copyOf(services);
  }

  public synchronized Map<DestinationKey, Destination> destinations(ServiceKey key) {
    return dests.containsKey(key) ? Map.copyOf(dests.get(key)) : Map.of();
  }

  public synchronized void putByHand(IpvsService s, Destination... ds) {
    services.put(s.key(), s);
    Map<DestinationKey, Destination> m = dests.computeIfAbsent(s.key(), k -> new LinkedHashMap<>());
    for (Destination d : ds) {
      m.put(d.key(), d);
    }
  }

  public synchronized void removeByHand(ServiceKey service, DestinationKey dest) {
    dests.get(service).remove(dest);
  }

  public synchronized void setByHand(ServiceKey service, Destination d) {
    dests.get(service).put(d.key(), d);
  }

  /** An interface up with an address on it, as the node's network setup makes them (eth0 with the node IP). */
  public synchronized void putAddressByHand(InterfaceAddress address) {
    links.computeIfAbsent(address.interfaceName(), n -> new Link(links.size() + 1, n, null, true));
    addresses.add(address);
  }

  public synchronized Set<InterfaceAddress> addressSet() {
    return Set.copyOf(addresses);
  }

  public synchronized String sysctl(String key) {
    return sysctls.get(key);
  }
}
