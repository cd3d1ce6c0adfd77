package io.lvs.agent.dataplane;

import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.ServiceKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything one node must hold, as immutable values keyed like the kernel keys them. Built with
 * {@link #builder()}, which merges objects several owners share (an address, a sysctl with the
 * same value) and turns contradictory wishes into {@link #conflicts()} instead of failing: the
 * first wish wins, the others are reported to their owners.
 */
public record DesiredState(
    Map<ServiceKey, DesiredService> services,
    Map<InterfaceAddress, DesiredAddress> addresses,
    Map<String, DesiredLink> links,
    Map<String, DesiredSysctl> sysctls,
    List<SnatRule> snat,
    List<MarkRule> marks,
    List<Conflict> conflicts) {
  public static final DesiredState EMPTY = builder().build();

  public DesiredState {
    services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
    addresses = Collections.unmodifiableMap(new LinkedHashMap<>(addresses));
    links = Collections.unmodifiableMap(new LinkedHashMap<>(links));
    sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
    snat = List.copyOf(snat);
    marks = List.copyOf(marks);
    conflicts = List.copyOf(conflicts);
  }

  /** A state without fwmark marking rules. */
  public DesiredState(Map<ServiceKey, DesiredService> services, Map<InterfaceAddress, DesiredAddress> addresses,
      Map<String, DesiredLink> links, Map<String, DesiredSysctl> sysctls, List<SnatRule> snat,
      List<Conflict> conflicts) {
    this(services, addresses, links, sysctls, snat, List.of(), conflicts);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects wishes; not thread-safe, use one per translation. */
  public static final class Builder {
    private final Map<ServiceKey, DesiredService> services = new LinkedHashMap<>();
    private final Map<InterfaceAddress, DesiredAddress> addresses = new LinkedHashMap<>();
    private final Map<String, DesiredLink> links = new LinkedHashMap<>();
    private final Map<String, DesiredSysctl> sysctls = new LinkedHashMap<>();
    private final List<SnatRule> snat = new ArrayList<>();
    private final List<MarkRule> marks = new ArrayList<>();
    private final List<Conflict> conflicts = new ArrayList<>();

    private Builder() {}

    public Builder service(DesiredService s) {
      DesiredService prev = services.putIfAbsent(s.key(), s);
      if (prev != null) {
        conflicts.add(
            new Conflict(
                ObjectRef.service(s.key()),
                Set.of(s.owner()),
                "service already wanted by " + prev.owner()));
      }
      return this;
    }

    public Builder address(InterfaceAddress address, String owner, boolean announce) {
      DesiredAddress prev = addresses.get(address);
      TreeSet<String> owners = new TreeSet<>(prev == null ? Set.of() : prev.owners());
      owners.add(owner);
      addresses.put(address, new DesiredAddress(address, owners, announce || (prev != null && prev.announce())));
      return this;
    }

    public Builder link(String name, String kind, String owner) {
      DesiredLink prev = links.get(name);
      if (prev != null && !prev.kind().equals(kind)) {
        conflicts.add(
            new Conflict(
                ObjectRef.link(name),
                Set.of(owner),
                "link wanted as " + prev.kind() + " by " + prev.owners() + ", not " + kind));
        return this;
      }
      TreeSet<String> owners = new TreeSet<>(prev == null ? Set.of() : prev.owners());
      owners.add(owner);
      links.put(name, new DesiredLink(name, kind, owners));
      return this;
    }

    public Builder sysctl(String key, String value, String owner) {
      DesiredSysctl prev = sysctls.get(key);
      if (prev != null && !prev.value().equals(value)) {
        conflicts.add(
            new Conflict(
                ObjectRef.sysctl(key),
                Set.of(owner),
                "wanted as " + value + " but " + prev.owners() + " want " + prev.value()));
        return this;
      }
      TreeSet<String> owners = new TreeSet<>(prev == null ? Set.of() : prev.owners());
      owners.add(owner);
      sysctls.put(key, new DesiredSysctl(key, value, owners));
      return this;
    }

    public Builder snat(SnatRule rule) {
      snat.add(rule);
      return this;
    }

    public Builder mark(MarkRule rule) {
      marks.add(rule);
      return this;
    }

    public DesiredState build() {
      return new DesiredState(services, addresses, links, sysctls, snat, marks, conflicts);
    }
  }
}
