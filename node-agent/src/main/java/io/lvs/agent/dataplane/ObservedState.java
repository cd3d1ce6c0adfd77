package io.lvs.agent.dataplane;

import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.rtnl.RtnlClient;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the kernel holds right now: every IPVS service with its destinations, every address and
 * link, and the values of the sysctls the agent cares about (a key absent from the map does not
 * exist on this kernel). Foreign objects are in here too; the differ ignores them.
 */
public final class ObservedState {
  private final Map<ServiceKey, ObservedService> services;
  private final Set<InterfaceAddress> addresses;
  private final Map<String, RtnlClient.Link> links;
  private final Map<String, String> sysctls;

  public ObservedState(
      List<ObservedService> services,
      List<InterfaceAddress> addresses,
      List<RtnlClient.Link> links,
      Map<String, String> sysctls) {
    Map<ServiceKey, ObservedService> s = new LinkedHashMap<>(services.size() * 4 / 3 + 1);
    services.forEach(o -> s.put(o.service().key(), o));
    this.services = Collections.unmodifiableMap(s);
    this.addresses = Collections.unmodifiableSet(new LinkedHashSet<>(addresses));
    Map<String, RtnlClient.Link> l = new LinkedHashMap<>();
    links.forEach(k -> l.put(k.name(), k));
    this.links = Collections.unmodifiableMap(l);
    this.sysctls = Collections.unmodifiableMap(new HashMap<>(sysctls));
  }

  public static ObservedState empty() {
    return new ObservedState(List.of(), List.of(), List.of(), Map.of());
  }

  public Map<ServiceKey, ObservedService> services() {
    return services;
  }

  public Optional<ObservedService> service(ServiceKey key) {
    return Optional.ofNullable(services.get(key));
  }

  public Set<InterfaceAddress> addresses() {
    return addresses;
  }

  public Map<String, RtnlClient.Link> links() {
    return links;
  }

  public Map<String, String> sysctls() {
    return sysctls;
  }

  public Optional<String> sysctl(String key) {
    return Optional.ofNullable(sysctls.get(key));
  }
}
