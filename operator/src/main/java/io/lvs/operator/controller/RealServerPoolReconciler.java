package io.lvs.operator.controller;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.RealServerPoolStatus;
import io.lvs.operator.apply.MemberHealthBook;
import io.lvs.operator.apply.PlanInputs;
import io.lvs.operator.apply.ResolvedPools;
import io.lvs.operator.discovery.EndpointSliceApi;
import io.lvs.operator.resolve.DrainState;
import io.lvs.operator.resolve.Labels;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberDrainer;
import io.lvs.operator.resolve.MemberResolver;
import io.lvs.operator.resolve.PoolInputs;
import io.lvs.operator.status.PoolStatusBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Resolves a pool's members from EndpointSlices, Pods, Nodes and its static list, drains the ones
 * leaving, and publishes the result in its status, which the VirtualService side plans from.
 * Secondary-to-primary mappers use indexes on the pool cache, so a slice change wakes exactly the
 * pools naming its Service.
 */
@ControllerConfiguration(name = "realserverpool")
public final class RealServerPoolReconciler implements Reconciler<RealServerPool> {
  private final MemberResolver resolver = new MemberResolver();
  private final MemberDrainer drainer = new MemberDrainer();
  private final Map<ResourceID, DrainState> drains = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Function<RealServerPoolSpec, List<String>> validation;
  private final Timer timer;
  private final ResolvedPools board;
  private final MemberHealthBook health;
  private final EndpointSliceApi sliceApi;
  private EndpointSliceInformer<?> slices;
  private InformerEventSource<Pod, RealServerPool> pods;
  private InformerEventSource<Node, RealServerPool> nodes;
  /** Services, for existence only: a serviceRef naming no Service is reported, not silently empty. */
  private InformerEventSource<Service, RealServerPool> services;

  public RealServerPoolReconciler(
      Clock clock, MeterRegistry metrics, Function<RealServerPoolSpec, List<String>> validation, ResolvedPools resolved,
      MemberHealthBook health, EndpointSliceApi sliceApi) {
    this.clock = clock;
    this.sliceApi = sliceApi;
    this.board = resolved;
    this.health = health;
    this.validation = validation;
    this.timer = Timer.builder("lvs_operator_reconcile").tag("controller", "realserverpool").register(metrics);
  }

  @Override
  public List<EventSource<?, RealServerPool>> prepareEventSources(EventSourceContext<RealServerPool> context) {
    IndexerResourceCache<RealServerPool> pools = context.getPrimaryCache();
    pools.addIndexer(Indexes.POOL_BY_SERVICE, Indexes::poolByService);
    pools.addIndexer(Indexes.POOL_BY_POD_NAMESPACE, Indexes::poolByPodNamespace);
    pools.addIndexer(Indexes.POOL_WITH_NODES, Indexes::poolWithNodes);

    slices = EndpointSliceInformer.create(sliceApi, context, key -> ids(pools.byIndex(Indexes.POOL_BY_SERVICE, key)));
    pods = podSource(pools, context);
    nodes = nodeSource(pools, context);
    services = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Service.class, RealServerPool.class)
            .withName("services")
            .withNamespacesInheritedFromController()
            .withOnUpdateFilter((newer, older) -> false) // created or deleted is all that matters
            .withSecondaryToPrimaryMapper(s -> ids(pools.byIndex(Indexes.POOL_BY_SERVICE,
                s.getMetadata().getNamespace() + "/" + s.getMetadata().getName())))
            .build(),
        context);
    // the directors' health checks, as the VirtualService controller reads them from the agents
    SimpleInboundEventSource<RealServerPool> healthChanges = new SimpleInboundEventSource<>("member-health");
    health.onChange(pool -> {
      int slash = pool.indexOf('/');
      healthChanges.propagateEvent(new ResourceID(pool.substring(slash + 1), pool.substring(0, slash)));
    });
    return List.of(slices.source(), pods, nodes, services, healthChanges);
  }

  /** A Pod wakes the pools in its namespace that select it or list it as a member. */
  private static InformerEventSource<Pod, RealServerPool> podSource(
      IndexerResourceCache<RealServerPool> pools, EventSourceContext<RealServerPool> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, RealServerPool.class)
            .withName("pods")
            .withNamespacesInheritedFromController()
            .withOnUpdateFilter(Relevance::podChanged)
            .withSecondaryToPrimaryMapper(p -> ids(
                pools.byIndex(Indexes.POOL_BY_POD_NAMESPACE, p.getMetadata().getNamespace()).stream()
                    .filter(pool -> Labels.matches(pool.getSpec().podSelector().matchLabels(), p.getMetadata().getLabels())
                        || hasMemberOnPod(pool, p))
                    .toList()))
            .build(),
        context);
  }

  /** A Node wakes the pools with a nodeSelector it matches or a member on it. */
  private static InformerEventSource<Node, RealServerPool> nodeSource(
      IndexerResourceCache<RealServerPool> pools, EventSourceContext<RealServerPool> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Node.class, RealServerPool.class)
            .withName("pool-nodes")
            .withWatchAllNamespaces()
            .withOnUpdateFilter(Relevance::nodeChanged)
            .withSecondaryToPrimaryMapper(n -> ids(
                pools.byIndex(Indexes.POOL_WITH_NODES, Indexes.ALL).stream()
                    .filter(pool -> Labels.matches(pool.getSpec().nodeSelector().matchLabels(), n.getMetadata().getLabels())
                        || PlanInputs.members(pool).stream().anyMatch(m -> n.getMetadata().getName().equals(m.node())))
                    .toList()))
            .build(),
        context);
  }

  @Override
  public UpdateControl<RealServerPool> reconcile(RealServerPool pool, Context<RealServerPool> context) {
    return timer.record(() -> doReconcile(pool));
  }

  private UpdateControl<RealServerPool> doReconcile(RealServerPool pool) {
    String ns = pool.getMetadata().getNamespace();
    RealServerPoolSpec spec = pool.getSpec();
    List<EndpointSlice> sl =
        spec.serviceRef() == null ? List.of() : slices.ofService(ns + "/" + spec.serviceRef().name());
    List<Pod> pd =
        spec.podSelector() == null
            ? List.of()
            : pods.list(ns, p -> Labels.matches(spec.podSelector().matchLabels(), p.getMetadata().getLabels())).toList();
    List<Node> nd =
        spec.nodeSelector() == null
            ? List.of()
            : nodes.list(n -> Labels.matches(spec.nodeSelector().matchLabels(), n.getMetadata().getLabels())).toList();
    List<String> invalid = validation.apply(spec);
    // an invalid pool resolves to nothing: bad input never reaches a kernel; the condition says why
    MemberResolver.Resolved resolved =
        invalid.isEmpty()
            ? resolver.resolve(ns, spec, new PoolInputs(sl, pd, nd))
            : new MemberResolver.Resolved(Map.of(), invalid.stream().map(m -> "invalid spec: " + m).toList());
    if (invalid.isEmpty() && spec.serviceRef() != null
        && services.get(new ResourceID(spec.serviceRef().name(), ns)).isEmpty()) {
      List<String> errors = new java.util.ArrayList<>(resolved.errors());
      errors.add("spec.serviceRef.name: Service " + ns + "/" + spec.serviceRef().name() + " not found");
      resolved = new MemberResolver.Resolved(resolved.members(), errors);
    }
    Instant now = clock.instant();
    ResourceID id = ResourceID.fromResource(pool);
    DrainState previous = drains.computeIfAbsent(id, k -> seed(pool, now));
    Duration grace = MemberDrainer.grace(spec);
    MemberDrainer.Result result = drainer.step(resolved.members(), previous, now, grace);
    drains.put(id, result.state());
    board.publish(pool, result.members()); // the planner's input, before (not after) the status round trip
    RealServerPoolStatus status =
        PoolStatusBuilder.build(pool.getMetadata().getGeneration(), pool.getStatus(), result.members(), resolved.errors(),
            health.of(ns + "/" + pool.getMetadata().getName()), now);
    UpdateControl<RealServerPool> control;
    if (status.equals(pool.getStatus())) {
      control = UpdateControl.noUpdate();
    } else {
      RealServerPool patch = new RealServerPool();
      patch.setMetadata(new ObjectMetaBuilder().withName(pool.getMetadata().getName()).withNamespace(ns).build());
      patch.setStatus(status);
      control = UpdateControl.patchStatus(patch);
    }
    result.nextExpiry().ifPresent(t -> control.rescheduleAfter(Math.max(1, Duration.between(now, t).toMillis())));
    return control;
  }

  /**
   * After a restart, the status is the memory: its serving members are known to have served, and
   * its draining ones keep draining (from now: the start time is not recorded, so the grace can
   * only grow, never cut connections short).
   */
  private static DrainState seed(RealServerPool pool, Instant now) {
    Map<io.lvs.operator.resolve.MemberKey, Member> serving = new HashMap<>();
    Map<io.lvs.operator.resolve.MemberKey, DrainState.Draining> draining = new HashMap<>();
    for (Member m : PlanInputs.members(pool)) {
      if (m.draining()) {
        draining.put(m.key(), new DrainState.Draining(m, now));
      } else if (m.ready()) {
        serving.put(m.key(), m);
      }
    }
    return new DrainState(serving, draining);
  }

  private static boolean hasMemberOnPod(RealServerPool pool, Pod p) {
    String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
    return ip != null && PlanInputs.members(pool).stream().anyMatch(m -> ip.equals(m.address()));
  }

  private static Set<ResourceID> ids(List<RealServerPool> pools) {
    return pools.stream().map(ResourceID::fromResource).collect(Collectors.toSet());
  }
}
