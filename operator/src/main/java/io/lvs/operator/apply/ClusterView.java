package io.lvs.operator.apply;

import io.fabric8.kubernetes.api.model.Node;
import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Read access to the informer caches the node-state sync plans from. */
public interface ClusterView {
  /** The caches exist (this process leads and the controllers have made them). */
  boolean bound();

  List<VirtualService> virtualServices();

  Optional<RealServerPool> pool(String namespace, String name);

  List<RealServerPool> pools();

  List<Node> nodes();

  /**
   * The LvsNodeConfigs, or empty while their cache is not there yet (then the sync leaves every
   * node's timeouts as they are: not knowing is not "none").
   */
  default Optional<List<LvsNodeConfig>> nodeConfigs() {
    return Optional.empty();
  }

  Set<String> nodeStateNames();

  Optional<LvsNodeState> nodeState(String name);

  /** Tell the cache about an object this process just wrote, before its watch event arrives. */
  void written(LvsNodeState before, LvsNodeState after);
}
