package io.lvs.agent.ownership;

import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.ServiceKey;
import java.util.Collections;
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
    Map<String, OwnedSysctl> sysctls) {
  public static final OwnedSet EMPTY = new OwnedSet(Map.of(), Map.of(), Map.of(), Map.of());

  public OwnedSet {
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
    return services.isEmpty() && addresses.isEmpty() && links.isEmpty() && sysctls.isEmpty();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A mutable copy the applier records its successes in. */
  public static final class Builder {
    private final Map<ServiceKey, String> serviceOwners = new LinkedHashMap<>();
    private final Map<ServiceKey, Set<DestinationKey>> destinations = new LinkedHashMap<>();
    private final Map<InterfaceAddress, SortedSet<String>> addresses;
    private final Map<String, SortedSet<String>> links;
    private final Map<String, OwnedSysctl> sysctls;

    private Builder(OwnedSet from) {
      from.services.forEach(
          (k, s) -> {
            serviceOwners.put(k, s.owner());
            destinations.put(k, new HashSet<>(s.destinations()));
          });
      addresses = new LinkedHashMap<>(from.addresses);
      links = new LinkedHashMap<>(from.links);
      sysctls = new LinkedHashMap<>(from.sysctls);
    }

    public Builder service(ServiceKey key, String owner) {
      serviceOwners.put(key, owner);
      destinations.computeIfAbsent(key, k -> new HashSet<>());
      return this;
    }

    public Builder removeService(ServiceKey key) {
      serviceOwners.remove(key);
      destinations.remove(key);
      return this;
    }

    /** Records a destination of a service this agent owns (no-op for a foreign service). */
    public Builder destination(ServiceKey service, DestinationKey dest) {
      Set<DestinationKey> set = destinations.get(service);
      if (set != null) {
        set.add(dest);
      }
      return this;
    }

    public Builder removeDestination(ServiceKey service, DestinationKey dest) {
      Set<DestinationKey> set = destinations.get(service);
      if (set != null) {
        set.remove(dest);
      }
      return this;
    }

    public Builder address(InterfaceAddress address, Set<String> owners) {
      addresses.put(address, new TreeSet<>(owners));
      return this;
    }

    public Builder removeAddress(InterfaceAddress address) {
      addresses.remove(address);
      return this;
    }

    public Builder link(String name, Set<String> owners) {
      links.put(name, new TreeSet<>(owners));
      return this;
    }

    public Builder removeLink(String name) {
      links.remove(name);
      return this;
    }

    public Builder sysctl(String key, OwnedSysctl entry) {
      sysctls.put(key, entry);
      return this;
    }

    public Builder removeSysctl(String key) {
      sysctls.remove(key);
      return this;
    }

    public OwnedSet build() {
      Map<ServiceKey, OwnedService> s = new LinkedHashMap<>();
      serviceOwners.forEach((k, owner) -> s.put(k, new OwnedService(owner, destinations.get(k))));
      return new OwnedSet(s, addresses, links, sysctls);
    }
  }
}
