package io.lvs.operator.sync;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.lvs.api.slices.NodeSlices;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.apply.ClusterView;
import io.lvs.operator.apply.SliceWriter;
import io.lvs.operator.diff.NodeStateChange;
import io.lvs.operator.diff.NodeStateDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Informer caches and the API server for the sync, in memory: objects keep their identity until
 * replaced, as in an informer cache; a slice write bumps the generation as the API server does and
 * caches a copy of the written spec, as a watch would.
 * VirtualServices, pools and nodes may be shared with another FakeCluster (same objects); slices
 * are each cluster's own.
 */
final class FakeCluster implements ClusterView, SliceWriter {
  final Map<String, VirtualService> services;
  final Map<String, RealServerPool> pools;
  final Map<String, Node> nodes;
  final Map<String, LvsNodeState> slices = new TreeMap<>();
  final List<NodeStateChange> writes = new ArrayList<>();

  FakeCluster(Map<String, VirtualService> services, Map<String, RealServerPool> pools, Map<String, Node> nodes) {
    this.services = services;
    this.pools = pools;
    this.nodes = nodes;
  }

  @Override
  public boolean bound() {
    return true;
  }

  @Override
  public List<VirtualService> virtualServices() {
    return List.copyOf(services.values());
  }

  @Override
  public Optional<RealServerPool> pool(String namespace, String name) {
    return Optional.ofNullable(pools.get(namespace + "/" + name));
  }

  @Override
  public List<RealServerPool> pools() {
    return List.copyOf(pools.values());
  }

  @Override
  public List<Node> nodes() {
    return List.copyOf(nodes.values());
  }

  @Override
  public Set<String> nodeStateNames() {
    return Set.copyOf(slices.keySet());
  }

  @Override
  public Optional<LvsNodeState> nodeState(String name) {
    return Optional.ofNullable(slices.get(name));
  }

  @Override
  public void written(LvsNodeState before, LvsNodeState after) {
    // the write below already changed the cache
  }

  @Override
  public LvsNodeState write(NodeStateChange change) {
    writes.add(change);
    if (change instanceof NodeStateChange.Delete) {
      slices.remove(change.name());
      return null;
    }
    LvsNodeState was = slices.get(change.name());
    LvsNodeState o = new LvsNodeState();
    long generation = was == null ? 1 : was.getMetadata().getGeneration() + 1;
    var spec = change instanceof NodeStateChange.Create c ? c.spec() : ((NodeStateChange.Update) change).spec();
    o.setMetadata(new ObjectMetaBuilder().withName(change.name()).withGeneration(generation)
        .withLabels(Map.of(NodeSlices.NODE_LABEL, NodeSlices.labelValue(spec.nodeName()))).build());
    // the cache holds what the API server answered, a copy: never the writer's own spec object
    o.setSpec(Serialization.unmarshal(Serialization.asJson(spec), LvsNodeStateSpec.class));
    o.setStatus(was == null ? null : was.getStatus());
    slices.put(change.name(), o);
    return o;
  }

  /** The slice's agent reports it has seen the slice's current generation (a new object, as a watch gives). */
  void agentCaughtUp(String name) {
    LvsNodeState was = slices.get(name);
    LvsNodeState o = new LvsNodeState();
    o.setMetadata(was.getMetadata());
    o.setSpec(was.getSpec());
    o.setStatus(new LvsNodeStateStatus(was.getMetadata().getGeneration(), List.of(), null, List.of(), List.of()));
    slices.put(name, o);
  }

  /** Someone empties the slice's spec by hand (generation bumped, as the API server does). */
  void handEdit(String name) {
    LvsNodeState was = slices.get(name);
    LvsNodeState o = new LvsNodeState();
    o.setMetadata(new ObjectMetaBuilder(was.getMetadata()).withGeneration(was.getMetadata().getGeneration() + 1).build());
    o.setSpec(NodeStateDiff.empty(was.getSpec().nodeName()));
    o.setStatus(was.getStatus());
    slices.put(name, o);
  }

  List<NodeStateChange> takeWrites() {
    List<NodeStateChange> out = List.copyOf(writes);
    writes.clear();
    return out;
  }
}
