package io.lvs.agent.fake;

import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.ipvs.IpvsInfo;
import io.lvs.agent.ipvs.IpvsTimeouts;
import io.lvs.agent.ipvs.SyncDaemon;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import io.lvs.agent.netlink.Errno;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The IPVS table in memory, keyed as net/netfilter/ipvs keys it: a service by (protocol, address,
 * port) or (family, fwmark), a destination by (address, port) within its service. Errors are the
 * kernel's: EEXIST for a duplicate, ESRCH for a missing service, ENOENT for a missing destination
 * or an unknown scheduler. The kernel sets IP_VS_SVC_F_HASHED on every service it holds; so does
 * this. Active connection counts can be set to test draining.
 */
public final class FakeIpvs implements IpvsClient {
  static final Set<String> SCHEDULERS =
      Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "mh", "fo", "ovf", "twos");

  private final Faults faults;
  private final Map<ServiceKey, IpvsService> services = new LinkedHashMap<>();
  private final Map<ServiceKey, Map<DestinationKey, Destination>> destinations = new HashMap<>();
  private final Map<ServiceKey, Map<DestinationKey, Long>> active = new HashMap<>();
  private final List<SyncDaemon> daemons = new ArrayList<>();
  private IpvsTimeouts timeouts = new IpvsTimeouts(900, 120, 300);
  private int mutations;

  FakeIpvs(Faults faults) {
    this.faults = faults;
  }

  /** How many table changes were attempted (successful or not). */
  public int mutations() {
    return mutations;
  }

  public void setActiveConnections(ServiceKey service, DestinationKey dest, long count) {
    active.computeIfAbsent(service, k -> new HashMap<>()).put(dest, count);
  }

  @Override
  public List<ObservedService> dump() {
    List<ObservedService> out = new ArrayList<>(services.size());
    services.forEach(
        (k, s) -> {
          List<ObservedDestination> ds = new ArrayList<>();
          Map<DestinationKey, Long> conns = active.getOrDefault(k, Map.of());
          destinations.get(k).forEach(
              (dk, d) -> ds.add(new ObservedDestination(d, conns.getOrDefault(dk, 0L), 0, 0, Stats.ZERO)));
          out.add(new ObservedService(s, Stats.ZERO, ds));
        });
    return out;
  }

  @Override
  public void addService(IpvsService service) {
    ServiceKey key = service.key();
    mutate("add service", key.toString());
    if (services.containsKey(key)) {
      throw Errno.exception("add service", key.toString(), Errno.EEXIST, null);
    }
    checkScheduler("add service", service);
    services.put(key, hashed(service));
    destinations.put(key, new LinkedHashMap<>());
  }

  @Override
  public void updateService(IpvsService service) {
    ServiceKey key = service.key();
    mutate("update service", key.toString());
    if (!services.containsKey(key)) {
      throw Errno.exception("update service", key.toString(), Errno.ESRCH, null);
    }
    checkScheduler("update service", service);
    services.put(key, hashed(service));
  }

  @Override
  public void deleteService(ServiceKey key) {
    mutate("delete service", key.toString());
    if (services.remove(key) == null) {
      throw Errno.exception("delete service", key.toString(), Errno.ESRCH, null);
    }
    destinations.remove(key);
    active.remove(key);
  }

  @Override
  public void addDestination(ServiceKey service, Destination destination) {
    String obj = destination.key() + " to " + service;
    Map<DestinationKey, Destination> ds = destinationsOf("add destination", service, obj);
    if (ds.containsKey(destination.key())) {
      throw Errno.exception("add destination", obj, Errno.EEXIST, null);
    }
    ds.put(destination.key(), destination);
  }

  @Override
  public void updateDestination(ServiceKey service, Destination destination) {
    String obj = destination.key() + " of " + service;
    Map<DestinationKey, Destination> ds = destinationsOf("update destination", service, obj);
    if (!ds.containsKey(destination.key())) {
      throw Errno.exception("update destination", obj, Errno.ENOENT, null);
    }
    ds.put(destination.key(), destination);
  }

  @Override
  public void deleteDestination(ServiceKey service, DestinationKey destination) {
    String obj = destination + " from " + service;
    Map<DestinationKey, Destination> ds = destinationsOf("delete destination", service, obj);
    if (ds.remove(destination) == null) {
      throw Errno.exception("delete destination", obj, Errno.ENOENT, null);
    }
    Map<DestinationKey, Long> conns = active.get(service);
    if (conns != null) {
      conns.remove(destination);
    }
  }

  private Map<DestinationKey, Destination> destinationsOf(String op, ServiceKey service, String obj) {
    mutate(op, obj);
    Map<DestinationKey, Destination> ds = destinations.get(service);
    if (ds == null) {
      throw Errno.exception(op, obj, Errno.ESRCH, null);
    }
    return ds;
  }

  private void mutate(String op, String obj) {
    mutations++;
    faults.check(op, obj);
  }

  private static void checkScheduler(String op, IpvsService s) {
    if (!SCHEDULERS.contains(s.scheduler())) {
      throw Errno.exception(op, s.key() + " scheduler " + s.scheduler(), Errno.ENOENT, null);
    }
  }

  private static IpvsService hashed(IpvsService s) {
    return new IpvsService(
        s.key(), s.scheduler(), s.flags() | IpvsService.F_HASHED, s.timeoutSeconds(), s.netmaskPrefixLength());
  }

  @Override
  public IpvsInfo info() {
    return new IpvsInfo(0x010201, 4096);
  }

  @Override
  public IpvsTimeouts timeouts() {
    return timeouts;
  }

  @Override
  public void setTimeouts(IpvsTimeouts t) {
    timeouts =
        new IpvsTimeouts(
            t.tcpSeconds() == 0 ? timeouts.tcpSeconds() : t.tcpSeconds(),
            t.tcpFinSeconds() == 0 ? timeouts.tcpFinSeconds() : t.tcpFinSeconds(),
            t.udpSeconds() == 0 ? timeouts.udpSeconds() : t.udpSeconds());
  }

  @Override
  public List<SyncDaemon> daemons() {
    return List.copyOf(daemons);
  }

  @Override
  public void startDaemon(SyncDaemon daemon) {
    if (daemons.stream().anyMatch(d -> d.state() == daemon.state())) {
      throw Errno.exception("start sync daemon", daemon.state().name(), Errno.EEXIST, null);
    }
    daemons.add(daemon);
  }

  @Override
  public void stopDaemon(SyncDaemon.State state) {
    if (!daemons.removeIf(d -> d.state() == state)) {
      throw Errno.exception("stop sync daemon", state.name(), Errno.ESRCH, null);
    }
  }
}
