package io.lvs.operator.controller;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.LvsNodeConfigStatus;
import io.lvs.operator.apply.ClusterView;
import io.lvs.operator.nodeconfig.NodeConfigResolver;
import io.lvs.operator.nodeconfig.NodeConfigStatusBuilder;
import io.lvs.operator.nodeconfig.TimeoutsOverlay;
import io.lvs.operator.plan.NodeView;
import io.lvs.operator.sync.PlanRequests;
import io.lvs.operator.validate.SpecValidation;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * LvsNodeConfig status. Which node gets which timeouts is decided by the node-state sync (it puts
 * them into each node's first slice); a change to any configuration asks it for a plan. This
 * controller resolves the same way from the same caches to report per configuration the nodes it
 * selects, the conflicts and what the agents report. The agents' reports arrive on LvsNodeState
 * objects the VirtualService controller already caches; rather than a second cache of all of them,
 * each configuration is looked at again every {@link #RECHECK} (configurations are few).
 */
@ControllerConfiguration(name = "lvsnodeconfig")
public final class LvsNodeConfigReconciler implements Reconciler<LvsNodeConfig> {
  static final Duration RECHECK = Duration.ofSeconds(5);
  private final ClusterView view;
  private final InformerView binding;
  private final PlanRequests requests;
  private final SpecValidation validation;
  private final Clock clock;

  public LvsNodeConfigReconciler(InformerView view, PlanRequests requests, SpecValidation validation, Clock clock) {
    this.view = view;
    this.binding = view;
    this.requests = requests;
    this.validation = validation;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, LvsNodeConfig>> prepareEventSources(EventSourceContext<LvsNodeConfig> context) {
    // every configuration as the sync reads it; a spec change, add or delete asks for a plan
    NotifyingInformerEventSource<LvsNodeConfig, LvsNodeConfig> all = new NotifyingInformerEventSource<>(
        InformerEventSourceConfiguration.from(LvsNodeConfig.class, LvsNodeConfig.class)
            .withName("nodeconfigs")
            .withWatchAllNamespaces()
            .withOnUpdateFilter((before, after) -> false) // the primary source reconciles it already
            .withSecondaryToPrimaryMapper(c -> Set.of(ResourceID.fromResource(c)))
            .build(),
        context, (before, after) -> !Objects.equals(before.getSpec(), after.getSpec()), requests::nodesChanged);
    binding.bindConfigs(all);
    return List.of(all);
  }

  @Override
  public UpdateControl<LvsNodeConfig> reconcile(LvsNodeConfig config, Context<LvsNodeConfig> context) {
    if (!view.bound() || view.nodeConfigs().isEmpty()) {
      return UpdateControl.<LvsNodeConfig>noUpdate().rescheduleAfter(RECHECK);
    }
    String name = config.getMetadata().getName();
    List<String> problems = config.getSpec() == null ? List.of("spec: required") : validation.validate(config.getSpec());
    List<LvsNodeConfig> valid = view.nodeConfigs().orElseThrow().stream()
        .filter(c -> c.getSpec() != null && validation.validate(c.getSpec()).isEmpty()).toList();
    var objects = new HashMap<String, io.lvs.api.v1alpha1.LvsNodeState>();
    view.nodes().forEach(n -> {
      String first = NodeSlices.name(n.getMetadata().getName(), 0);
      view.nodeState(first).ifPresent(s -> objects.put(first, s));
    });
    var current = TimeoutsOverlay.current(objects);
    NodeConfigResolver.Resolution r = NodeConfigResolver.resolve(valid, view.nodes().stream().map(NodeView::of).toList(), current);
    if (!r.timeouts().equals(current)) {
      requests.nodesChanged(); // e.g. the first plan ran before the configurations were known
    }
    LvsNodeConfigStatus status = NodeConfigStatusBuilder.build(config, problems, problems.isEmpty() ? r.configs().get(name) : null,
        node -> view.nodeState(NodeSlices.name(node, 0)), clock.instant());
    if (status.equals(config.getStatus())) {
      return UpdateControl.<LvsNodeConfig>noUpdate().rescheduleAfter(RECHECK);
    }
    LvsNodeConfig patch = new LvsNodeConfig();
    patch.setMetadata(new ObjectMetaBuilder().withName(name).build());
    patch.setStatus(status);
    return UpdateControl.patchStatus(patch).rescheduleAfter(RECHECK);
  }
}
