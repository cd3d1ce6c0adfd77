package io.lvs.operator.controller;

import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.apply.ClusterView;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The VirtualService controller's informer caches, as the node-state sync reads them. */
public final class InformerView implements ClusterView {
  private final IndexerResourceCache<VirtualService> services;
  private final InformerEventSource<RealServerPool, VirtualService> pools;
  private final InformerEventSource<LvsNodeState, VirtualService> nodeStates;
  private final InformerEventSource<Node, VirtualService> nodes;

  InformerView(
      IndexerResourceCache<VirtualService> services,
      InformerEventSource<RealServerPool, VirtualService> pools,
      InformerEventSource<LvsNodeState, VirtualService> nodeStates,
      InformerEventSource<Node, VirtualService> nodes) {
    this.services = services;
    this.pools = pools;
    this.nodeStates = nodeStates;
    this.nodes = nodes;
  }

  @Override
  public List<VirtualService> virtualServices() {
    return services.list().toList();
  }

  @Override
  public Optional<RealServerPool> pool(String namespace, String name) {
    return pools.get(new ResourceID(name, namespace));
  }

  @Override
  public List<RealServerPool> pools() {
    return pools.list().toList();
  }

  @Override
  public List<Node> nodes() {
    return nodes.list().toList();
  }

  @Override
  public Set<String> nodeStateNames() {
    return nodeStates.keys().map(ResourceID::getName).collect(Collectors.toSet());
  }

  @Override
  public Optional<LvsNodeState> nodeState(String name) {
    return nodeStates.get(new ResourceID(name));
  }

  @Override
  public void written(LvsNodeState before, LvsNodeState after) {
    if (after == null) {
      return;
    }
    ResourceID id = ResourceID.fromResource(after);
    if (before == null) {
      nodeStates.handleRecentResourceCreate(id, after);
    } else {
      nodeStates.handleRecentResourceUpdate(id, after, before);
    }
  }
}
