package io.lvs.agent.apply;

import io.lvs.agent.dataplane.DesiredDestination;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.ObservedState;
import io.lvs.agent.diff.Operation;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import io.lvs.agent.ownership.OwnedSysctl;
import io.lvs.agent.rtnl.RtnlClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the kernel held at the last full read, kept current with every operation that succeeded
 * since, so an incremental apply can diff a handful of changed services without reading a table of
 * ten thousand. Counters are those of the last read. Trusted only until the next full resync,
 * which replaces it (and repairs whatever drifted meanwhile).
 */
final class KernelView {
  private final Map<ServiceKey, ObservedService> services;
  private final Set<InterfaceAddress> addresses;
  private final Map<String, RtnlClient.Link> links;
  private final Map<String, String> sysctls;

  /**
   * The view of {@code observed}, holding the desired state's own (immutable) values wherever the
   * kernel's are equal to them: the decoded copy of each destination, key and address is dropped,
   * so the table is held once between the desired state and the view, not twice.
   */
  KernelView(ObservedState observed, DesiredState desired) {
    services = new LinkedHashMap<>(observed.services().size() * 4 / 3 + 1);
    observed.services().forEach((k, s) -> {
      DesiredService want = desired.services().get(k);
      services.put(want == null ? k : want.key(), want == null ? s : shared(s, want));
    });
    addresses = new LinkedHashSet<>(observed.addresses());
    links = new LinkedHashMap<>(observed.links());
    sysctls = new LinkedHashMap<>(observed.sysctls());
  }

  /** Every IPVS service as the view holds it (read, then kept current), in table order. */
  List<ObservedService> services() {
    return List.copyOf(services.values());
  }

  /** The services by key (read-only), for a resync to compare the kernel with. */
  Map<ServiceKey, ObservedService> servicesByKey() {
    return java.util.Collections.unmodifiableMap(services);
  }

  /** Wanted sysctl keys the view has no value for (not read yet, or absent from the kernel). */
  List<String> unknownSysctls(Collection<String> keys) {
    return keys.stream().filter(k -> !sysctls.containsKey(k)).toList();
  }

  void learnSysctls(Map<String, String> values) {
    sysctls.putAll(values);
  }

  /** The view restricted to some services (all addresses, links and sysctls). */
  ObservedState scoped(Collection<ServiceKey> keys) {
    List<ObservedService> l = new ArrayList<>(keys.size());
    for (ServiceKey k : keys) {
      ObservedService s = services.get(k);
      if (s != null) {
        l.add(s);
      }
    }
    return new ObservedState(l, List.copyOf(addresses), List.copyOf(links.values()), sysctls);
  }

  /** Applies the effect of an operation the kernel accepted. */
  void record(Operation op, OwnedSysctl ledger) {
    if (op instanceof Operation.AddService o) {
      services.put(o.service().key(), new ObservedService(hashed(o.service()), Stats.ZERO, List.of()));
    } else if (op instanceof Operation.UpdateService o) {
      ObservedService s = services.get(o.service().key());
      if (s != null) {
        services.put(o.service().key(), new ObservedService(hashed(o.service()), s.stats(), s.destinations()));
      }
    } else if (op instanceof Operation.DeleteService o) {
      services.remove(o.key());
    } else if (op instanceof Operation.AddDestination o) {
      putDestination(o.service(), o.destination());
    } else if (op instanceof Operation.UpdateDestination o) {
      putDestination(o.service(), o.destination());
    } else if (op instanceof Operation.DeleteDestination o) {
      editDestinations(o.service(), o.destination(), null);
    } else if (op instanceof Operation.AddAddress o) {
      addresses.add(o.address());
    } else if (op instanceof Operation.DeleteAddress o) {
      addresses.remove(o.address());
    } else if (op instanceof Operation.SetSysctl o) {
      sysctls.put(o.key(), o.value());
    } else if (op instanceof Operation.RestoreSysctl o) {
      sysctls.put(o.key(), o.original());
    } else if (op instanceof Operation.AddLink o) {
      links.put(o.name(), new RtnlClient.Link(-1, o.name(), o.kind(), true));
    } else if (op instanceof Operation.SetLinkUp o) {
      RtnlClient.Link l = links.get(o.name());
      if (l != null) {
        links.put(o.name(), new RtnlClient.Link(l.index(), l.name(), l.kind(), true));
      }
    } else if (op instanceof Operation.DeleteLink o) {
      links.remove(o.name());
      addresses.removeIf(a -> a.interfaceName().equals(o.name()));
    }
  }

  private void putDestination(ServiceKey service, Destination d) {
    editDestinations(service, d.key(), d);
  }

  /** Replaces (or with null removes) one destination, keeping the others and their counters. */
  private void editDestinations(ServiceKey service, DestinationKey key, Destination d) {
    ObservedService s = services.get(service);
    if (s == null) {
      return;
    }
    List<ObservedDestination> ds = new ArrayList<>(s.destinations().size() + 1);
    boolean found = false;
    for (ObservedDestination od : s.destinations()) {
      if (od.destination().key().equals(key)) {
        found = true;
        if (d != null) {
          ds.add(od.with(d, od.activeConnections(), od.inactiveConnections()));
        }
      } else {
        ds.add(od);
      }
    }
    if (!found && d != null) {
      ds.add(new ObservedDestination(d, 0, 0, 0, Stats.ZERO));
    }
    services.put(service, new ObservedService(s.service(), s.stats(), ds));
  }

  private static ObservedService shared(ObservedService seen, DesiredService want) {
    List<ObservedDestination> seenDestinations = seen.destinations();
    List<ObservedDestination> ds = null; // a copy only once a destination is swapped for the desired one
    for (int i = 0; i < seenDestinations.size(); i++) {
      ObservedDestination od = seenDestinations.get(i);
      DesiredDestination dd = want.destinations().get(od.destination().key());
      Destination mine = dd == null || dd.draining() ? null : dd.destination();
      if (mine != null && mine != od.destination() && mine.equals(od.destination())) {
        if (ds == null) {
          ds = new ArrayList<>(seenDestinations.size());
          ds.addAll(seenDestinations.subList(0, i));
        }
        ds.add(od.with(mine, od.activeConnections(), od.inactiveConnections()));
      } else if (ds != null) {
        ds.add(od);
      }
    }
    IpvsService s = seen.service();
    String scheduler = s.scheduler().equals(want.service().scheduler()) ? want.service().scheduler() : s.scheduler();
    return new ObservedService(new IpvsService(want.key(), scheduler, s.flags(), s.timeoutSeconds(),
        s.netmaskPrefixLength()), seen.stats(), ds == null ? seenDestinations : ds);
  }

  private static IpvsService hashed(IpvsService s) {
    return new IpvsService(
        s.key(), s.scheduler(), s.flags() | IpvsService.F_HASHED, s.timeoutSeconds(), s.netmaskPrefixLength());
  }
}
