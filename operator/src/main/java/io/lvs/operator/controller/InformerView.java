package io.lvs.operator.controller;

import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.apply.ClusterView;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The VirtualService controller's informer caches, as the node-state sync reads them. Made by the
 * operator's wiring before the caches exist; the controller binds them once it has made them (as
 * leader), and until then the view is unbound and the sync does not run.
 */
public final class InformerView implements ClusterView {
  private record Caches(
      IndexerResourceCache<VirtualService> services,
      InformerEventSource<RealServerPool, VirtualService> pools,
      InformerEventSource<LvsNodeState, VirtualService> nodeStates,
      InformerEventSource<Node, VirtualService> nodes) {}

  private volatile Caches caches;
  private volatile InformerEventSource<LvsNodeConfig, ?> configs;

  /** The LvsNodeConfig controller's informer, once it has made it. */
  void bindConfigs(InformerEventSource<LvsNodeConfig, ?> configs) {
    this.configs = configs;
  }

  /** Known once the informer has synced: before that an empty list would read as "no configuration". */
  @Override
  public Optional<List<LvsNodeConfig>> nodeConfigs() {
    InformerEventSource<LvsNodeConfig, ?> c = configs;
    return c == null || c.getStatus() != Status.HEALTHY ? Optional.empty() : Optional.of(c.list().toList());
  }

  void bind(
      IndexerResourceCache<VirtualService> services,
      InformerEventSource<RealServerPool, VirtualService> pools,
      InformerEventSource<LvsNodeState, VirtualService> nodeStates,
      InformerEventSource<Node, VirtualService> nodes) {
    caches = new Caches(services, pools, nodeStates, nodes);
  }

  @Override
  public boolean bound() {
    return caches != null;
  }

  @Override
  public List<VirtualService> virtualServices() {
    return caches.services().list().toList();
  }

  @Override
  public Optional<RealServerPool> pool(String namespace, String name) {
    return caches.pools().get(new ResourceID(name, namespace));
  }

  @Override
  public List<RealServerPool> pools() {
    return caches.pools().list().toList();
  }

  @Override
  public List<Node> nodes() {
    return caches.nodes().list().toList();
  }

  @Override
  public Set<String> nodeStateNames() {
    return caches.nodeStates().keys().map(ResourceID::getName).collect(Collectors.toSet());
  }

  @Override
  public Optional<LvsNodeState> nodeState(String name) {
    return caches.nodeStates().get(new ResourceID(name));
  }

  @Override
  public void written(LvsNodeState before, LvsNodeState after) {
    if (after == null) {
      return;
    }
    ResourceID id = ResourceID.fromResource(after);
    if (before == null) {
      caches.nodeStates().handleRecentResourceCreate(id, after);
    } else {
      caches.nodeStates().handleRecentResourceUpdate(id, after, before);
    }
  }
}
