package io.lvs.agent.ownership;

import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.ServiceKey;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Every kernel object this agent created (and so may edit or delete), with its owners. Objects not
 * in here are foreign: the differ never plans an operation on them. Persisted by an
 * {@link OwnershipStore} so a restarted agent recognises its own objects.
 */
public record OwnedSet(
    Map<ServiceKey, OwnedService> services,
    Map<InterfaceAddress, SortedSet<String>> addresses,
    Map<String, SortedSet<String>> links,
    Map<String, OwnedSysctl> sysctls,
    OwnedTimeouts timeouts) {
  public static final OwnedSet EMPTY = new OwnedSet(Map.of(), Map.of(), Map.of(), Map.of());

  /** A set without IPVS timeouts changed. */
  public OwnedSet(Map<ServiceKey, OwnedService> services, Map<InterfaceAddress, SortedSet<String>> addresses,
      Map<String, SortedSet<String>> links, Map<String, OwnedSysctl> sysctls) {
    this(services, addresses, links, sysctls, OwnedTimeouts.NONE);
  }

  public OwnedSet {
    timeouts = timeouts == null ? OwnedTimeouts.NONE : timeouts;
    services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
    addresses = Collections.unmodifiableMap(new LinkedHashMap<>(addresses));
    links = Collections.unmodifiableMap(new LinkedHashMap<>(links));
    sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
  }

  public boolean ownsService(ServiceKey key) {
    return services.containsKey(key);
  }

  public boolean ownsDestination(ServiceKey service, DestinationKey dest) {
    OwnedService s = services.get(service);
    return s != null && s.destinations().contains(dest);
  }

  public boolean isEmpty() {
    return services.isEmpty() && addresses.isEmpty() && links.isEmpty() && sysctls.isEmpty() && timeouts.isEmpty();
  }

  /** This set with {@code t} as the timeouts' originals. */
  public OwnedSet withTimeouts(OwnedTimeouts t) {
    return t.equals(timeouts) ? this : new OwnedSet(services, addresses, links, sysctls, t);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * A mutable copy the applier records its successes in. Copy-on-write per service, so recording a
   * change to one service of ten thousand costs as much as in a table of ten; {@link #build()}
   * returns the original set when nothing changed.
   */
  public static final class Builder {
    private OwnedSet from;
    /** The set's own (unmodifiable) map until the first change to it, then a copy. */
    private Map<ServiceKey, OwnedService> services;
    private boolean servicesCopied;
    private final Map<ServiceKey, Set<DestinationKey>> editing = new HashMap<>();
    private final Map<InterfaceAddress, SortedSet<String>> addresses;
    private final Map<String, SortedSet<String>> links;
    private final Map<String, OwnedSysctl> sysctls;
    private boolean changed;

    private Builder(OwnedSet from) {
      this.from = from;
      services = from.services;
      addresses = new LinkedHashMap<>(from.addresses);
      links = new LinkedHashMap<>(from.links);
      sysctls = new LinkedHashMap<>(from.sysctls);
    }

    public Builder service(ServiceKey key, String owner) {
      OwnedService prev = services.get(key);
      if (prev == null || !prev.owner().equals(owner)) {
        writableServices().put(key, new OwnedService(owner, prev == null ? Set.of() : prev.destinations()));
        changed = true;
      }
      return this;
    }

    public Builder removeService(ServiceKey key) {
      if (services.containsKey(key)) {
        writableServices().remove(key);
        editing.remove(key);
        changed = true;
      }
      return this;
    }

    /** Records a destination of a service this agent owns (no-op for a foreign service). */
    public Builder destination(ServiceKey service, DestinationKey dest) {
      if (!editing.containsKey(service)) {
        OwnedService s = services.get(service);
        if (s == null || s.destinations().contains(dest)) {
          return this; // held already: no editable copy of the service's set (a resync confirms every one)
        }
      }
      Set<DestinationKey> set = edit(service);
      if (set != null && set.add(dest)) {
        changed = true;
      }
      return this;
    }

    public Builder removeDestination(ServiceKey service, DestinationKey dest) {
      Set<DestinationKey> set = edit(service);
      if (set != null && set.remove(dest)) {
        changed = true;
      }
      return this;
    }

    private Map<ServiceKey, OwnedService> writableServices() {
      if (!servicesCopied) {
        services = new LinkedHashMap<>(services);
        servicesCopied = true;
      }
      return services;
    }

    private Set<DestinationKey> edit(ServiceKey service) {
      Set<DestinationKey> set = editing.get(service);
      if (set == null) {
        OwnedService s = services.get(service);
        if (s == null) {
          return null;
        }
        set = new HashSet<>(s.destinations());
        editing.put(service, set);
      }
      return set;
    }

    public Builder address(InterfaceAddress address, Set<String> owners) {
      changed |= !new TreeSet<>(owners).equals(addresses.put(address, new TreeSet<>(owners)));
      return this;
    }

    public Builder removeAddress(InterfaceAddress address) {
      changed |= addresses.remove(address) != null;
      return this;
    }

    public Builder link(String name, Set<String> owners) {
      changed |= !new TreeSet<>(owners).equals(links.put(name, new TreeSet<>(owners)));
      return this;
    }

    public Builder removeLink(String name) {
      changed |= links.remove(name) != null;
      return this;
    }

    public Builder sysctl(String key, OwnedSysctl entry) {
      changed |= !entry.equals(sysctls.put(key, entry));
      return this;
    }

    public Builder removeSysctl(String key) {
      changed |= sysctls.remove(key) != null;
      return this;
    }

    /** The set with the changes; the very set it was made from when there were none. */
    public OwnedSet build() {
      if (!changed) {
        return from;
      }
      editing.forEach((k, dests) -> {
        OwnedService s = services.get(k);
        if (s != null && !s.destinations().equals(dests)) {
          writableServices().put(k, new OwnedService(s.owner(), dests));
        }
      });
      editing.clear();
      changed = false;
      from = new OwnedSet(services, addresses, links, sysctls, from.timeouts);
      services = from.services;
      servicesCopied = false;
      return from;
    }
  }
}
