package io.lvs.agent.runtime;

import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.view.Connection;
import io.lvs.agent.view.IpvsadmText;
import io.lvs.agent.view.OwnedConnections;
import io.lvs.agent.view.ServiceView;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the agent's /ipvs endpoints answer: this agent's services as the last sync read them back
 * (ipvsadm -Ln layouts), and the connection entries of those services read from the kernel now
 * (ipvsadm -Lnc layout). Only services this agent programmed are shown (optionally one owner's):
 * other owners' rules on the node are not ours to publish.
 */
public final class IpvsViews {
  private final Supplier<Optional<SyncOutcome>> outcome;
  private final Supplier<List<Connection>> table;

  public IpvsViews(Supplier<Optional<SyncOutcome>> outcome, Supplier<List<Connection>> table) {
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.table = Objects.requireNonNull(table, "table");
  }

  /** @param owner "namespace/name" of one VirtualService, or null for all of ours */
  public String services(String owner, ServiceView view) {
    Map<ServiceKey, DesiredService> ours = ours(owner);
    List<ObservedService> observed = outcome.get().map(SyncOutcome::observed).orElse(List.of()).stream()
        .filter(s -> ours.containsKey(s.service().key()))
        .sorted(Comparator.comparing(s -> s.service().key().toString()))
        .toList();
    return IpvsadmText.services(observed, view);
  }

  /** @param owner "namespace/name" of one VirtualService, or null for all of ours */
  public String connections(String owner) {
    List<OwnedConnections.OwnedService> services = ours(owner).values().stream()
        .map(d -> new OwnedConnections.OwnedService(d.owner(), d.key(),
            java.util.Set.<DestinationKey>copyOf(d.destinations().keySet())))
        .toList();
    if (services.isEmpty()) {
      return IpvsadmText.connections(List.of()); // nothing of ours: the table is not even read
    }
    return IpvsadmText.connections(
        OwnedConnections.of(table.get(), services).stream().map(OwnedConnections.Entry::connection).toList());
  }

  private Map<ServiceKey, DesiredService> ours(String owner) {
    Map<ServiceKey, DesiredService> all = outcome.get().map(o -> o.applied().services()).orElse(Map.of());
    if (owner == null) {
      return all;
    }
    return all.entrySet().stream().filter(e -> e.getValue().owner().equals(owner))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
