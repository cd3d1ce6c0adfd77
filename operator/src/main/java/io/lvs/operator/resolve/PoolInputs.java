package io.lvs.operator.resolve;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/** The cluster objects a pool's members come from (already narrowed or not: sources filter). */
public record PoolInputs(List<EndpointSlice> slices, List<Pod> pods, List<Node> nodes) {
  public static PoolInputs empty() {
    return new PoolInputs(List.of(), List.of(), List.of());
  }
}
