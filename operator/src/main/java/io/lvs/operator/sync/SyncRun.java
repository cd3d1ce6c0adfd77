package io.lvs.operator.sync;

import io.fabric8.kubernetes.api.model.Node;
import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.NodeTimeouts;
import io.lvs.operator.nodeconfig.NodeConfigResolver;
import io.lvs.operator.nodeconfig.TimeoutsOverlay;
import io.lvs.operator.apply.ClusterView;
import io.lvs.operator.plan.ClusterPlan;
import io.lvs.operator.plan.NodeSlicing;
import io.lvs.operator.plan.NodeView;
import io.lvs.operator.plan.ServiceInput;
import io.lvs.operator.plan.SliceChanges;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * One node-state sync run, phase by phase: inputs, plan, Leases for new VIPs (fence step 1),
 * slicing and diff, slice writes, Lease moves and releases (fence step 2), publish. Each phase is a
 * collaborator; this class only orders them.
 */
final class SyncRun {
  /** Plans every node from all inputs (the planner; a fresh one per call for the memo-free reference). */
  @FunctionalInterface
  interface Planner {
    ClusterPlan plan(List<ServiceInput> inputs, Collection<NodeView> nodes, Map<String, String> leaseHolders);
  }

  /**
   * @param leaseMoved a VIP Lease moved: plan again so its new holder gets the VIP
   * @param awaitingConfirmation an emptied extra slice waits for its agent: look again later to remove it
   */
  record Result(boolean leaseMoved, boolean awaitingConfirmation) {}

  private final ClusterView view;
  private final ServiceInputs inputs;
  private final Planner planner;
  private final LeaseWrites leases;
  private final NodeSlicing slicing;
  private final SliceChanges changes;
  private final SliceWrites writes;
  private final PublishedPlan published;
  private final SyncMetrics metrics;
  private final Supplier<List<Long>> memberChangeTimes;
  private final UnaryOperator<List<LvsNodeConfig>> validConfigs;

  SyncRun(ClusterView view, ServiceInputs inputs, Planner planner, LeaseWrites leases, NodeSlicing slicing,
      SliceChanges changes, SliceWrites writes, PublishedPlan published, SyncMetrics metrics,
      Supplier<List<Long>> memberChangeTimes, UnaryOperator<List<LvsNodeConfig>> validConfigs) {
    this.view = view;
    this.inputs = inputs;
    this.planner = planner;
    this.leases = leases;
    this.slicing = slicing;
    this.changes = changes;
    this.writes = writes;
    this.published = published;
    this.metrics = metrics;
    this.memberChangeTimes = memberChangeTimes;
    this.validConfigs = validConfigs;
  }

  Result run() {
    metrics.planningStarts();
    List<Long> memberChanges = memberChangeTimes.get();
    List<Node> nodes = view.nodes();
    Map<String, String> recorded = leases.holders();
    ClusterPlan plan = planner.plan(inputs.forPlan(view.virtualServices()), nodes.stream().map(NodeView::of).toList(), recorded);
    metrics.planningPauses();
    leases.beforeSliceWrites(plan.vipHolders(), recorded);
    metrics.planningResumes();
    Map<String, LvsNodeState> objects = sliceObjects();
    NodeSlicing.Slices slices = slicing.slice(plan, objects);
    Set<String> live = nodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    Map<String, LvsNodeStateSpec> desired =
        TimeoutsOverlay.apply(slices.desired(), nodeTimeouts(nodes, objects), live);
    SliceChanges.Changes found = changes.between(desired, objects, live);
    metrics.planningEnds();
    Set<String> written = writes.write(found.writes());
    if (!found.writes().isEmpty()) {
      metrics.written(memberChanges);
    }
    boolean moved = leases.afterSliceWrites(plan.vipHolders(), recorded);
    published.publish(plan, slices.sliceOfOwner(), written);
    return new Result(moved, found.awaitingConfirmation());
  }

  /** Per node, the timeouts its first slice must carry: as resolved, or as now while configs are unknown. */
  private Map<String, NodeTimeouts> nodeTimeouts(List<Node> nodes, Map<String, LvsNodeState> objects) {
    Map<String, NodeTimeouts> current = TimeoutsOverlay.current(objects);
    return view.nodeConfigs()
        .map(all -> NodeConfigResolver.resolve(validConfigs.apply(all), nodes.stream().map(NodeView::of).toList(), current).timeouts())
        .orElse(current);
  }

  private Map<String, LvsNodeState> sliceObjects() {
    Map<String, LvsNodeState> out = new HashMap<>();
    for (String name : view.nodeStateNames()) {
      view.nodeState(name).ifPresent(o -> out.put(name, o));
    }
    return out;
  }
}
