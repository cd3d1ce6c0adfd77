package io.lvs.operator.controller;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.DirectorHealth;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceStatus;
import io.lvs.operator.apply.EventRecorder;
import io.lvs.operator.apply.MemberHealthBook;
import io.lvs.operator.apply.PlanInputs;
import io.lvs.operator.apply.ProgrammingLedger;
import io.lvs.operator.apply.ResolvedPools;
import io.lvs.operator.plan.ClusterPlan;
import io.lvs.operator.publish.ServicePublisher;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberKey;
import io.lvs.operator.status.HaLeaseStatus;
import io.lvs.operator.status.MemberHealthReports;
import io.lvs.operator.status.NodeReports;
import io.lvs.operator.status.VirtualServiceStatusBuilder;
import io.lvs.operator.sync.PlanRequests;
import io.lvs.operator.sync.PlannedState;
import io.lvs.operator.validate.SpecValidation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One VirtualService's status: validate, tell the node-state sync it was read (the sync plans all
 * of them together, since conflicts and shared nodes are global, and decides itself whether to plan
 * again), and fold the last plan's outcome, the pool's members and the agents' reports into
 * status. Deleting waits until the agents report its state gone (finalizer), bounded for nodes that
 * no longer exist. Makes the caches the sync reads ({@link InformerView}).
 */
@ControllerConfiguration(name = "virtualservice")
public final class VirtualServiceReconciler implements Reconciler<VirtualService>, Cleaner<VirtualService> {
  private final InformerView view;
  private final PlanRequests requests;
  private final PlannedState planned;
  private final OutcomeEvents outcomes;
  private final ProgrammingLedger ledger;
  private final ResolvedPools resolved;
  private final MemberHealthBook health;
  private final SpecValidation validation;
  private final EventRecorder events;
  private final ConditionEvents transitions;
  private final Clock clock;
  private final Duration goneNodeTimeout;
  private final Timer timer;
  private final ServicePublisher publisher;
  private InformerEventSource<RealServerPool, VirtualService> pools;
  private InformerEventSource<LvsNodeState, VirtualService> nodeStates;
  private InformerEventSource<Node, VirtualService> nodes;
  private InformerEventSource<Lease, VirtualService> haLeases;
  private final String leaseNamespace;
  private final FailoverEvents failovers;

  /** The node-state sync as this controller sees it: where it signals, what it reads, how it is woken. */
  public record Sync(InformerView view, PlanRequests requests, PlannedState planned, OutcomeEvents outcomes) {}

  public VirtualServiceReconciler(
      Sync sync, ProgrammingLedger ledger, ResolvedPools resolved, MemberHealthBook health,
      SpecValidation validation,
      EventRecorder events, ServicePublisher publisher, Clock clock, Duration goneNodeTimeout, MeterRegistry metrics,
      String leaseNamespace) {
    this.publisher = publisher;
    this.leaseNamespace = leaseNamespace;
    this.failovers = new FailoverEvents(events, metrics);
    this.view = sync.view();
    this.requests = sync.requests();
    this.planned = sync.planned();
    this.outcomes = sync.outcomes();
    this.ledger = ledger;
    this.resolved = resolved;
    this.health = health;
    this.validation = validation;
    this.events = events;
    this.transitions = new ConditionEvents(events);
    this.clock = clock;
    this.goneNodeTimeout = goneNodeTimeout;
    this.timer = Timer.builder("lvs_operator_reconcile").tag("controller", "virtualservice").register(metrics);
  }

  @Override
  public List<EventSource<?, VirtualService>> prepareEventSources(EventSourceContext<VirtualService> context) {
    IndexerResourceCache<VirtualService> primary = context.getPrimaryCache();
    primary.addIndexer(Indexes.VS_BY_POOL, Indexes::vsByPool);
    pools = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(RealServerPool.class, VirtualService.class)
            .withName("pools")
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(p -> primary
                .byIndex(Indexes.VS_BY_POOL, p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
                .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
            .build(),
        context);
    nodeStates = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(LvsNodeState.class, VirtualService.class)
            .withName("nodestates")
            .withWatchAllNamespaces()
            // only agents' reports wake VirtualServices here; the sync itself notifies the owners
            // whose entries it wrote (else one write would wake every owner on the node). Node
            // objects are created by the sync only: a create without a report is its own.
            .withOnAddFilter(s -> s.getStatus() != null)
            .withOnUpdateFilter((before, after) -> !Objects.equals(before.getStatus(), after.getStatus()))
            .withSecondaryToPrimaryMapper(Owners::named)
            .build(),
        context);
    // a Node's labels, addresses and readiness are plan inputs of their own: the sync hears of them
    // here; the VirtualServices whose outcome that changes hear of it from the sync
    nodes = new NotifyingInformerEventSource<>(
        InformerEventSourceConfiguration.from(Node.class, VirtualService.class)
            .withName("vs-nodes")
            .withWatchAllNamespaces()
            .withOnUpdateFilter(Relevance::nodeChanged)
            .withSecondaryToPrimaryMapper(this::plannedOnto)
            .build(),
        context, Relevance::nodeChanged, requests::nodesChanged);
    // the directors' own Leases of HA VIPs (written by their agents): active director and failovers
    primary.addIndexer(Indexes.VS_BY_HA_LEASE, Indexes::vsByHaLease);
    haLeases = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Lease.class, VirtualService.class)
            .withName("ha-leases")
            .withNamespaces(Set.of(leaseNamespace))
            .withLabelSelector(HaLeaseStatus.ROLE_LABEL + "=" + HaLeaseStatus.ROLE)
            .withSecondaryToPrimaryMapper(l -> primary.byIndex(Indexes.VS_BY_HA_LEASE, l.getMetadata().getName())
                .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
            .build(),
        context);
    view.bind(primary, pools, nodeStates, nodes);
    return List.of(pools, nodeStates, nodes, haLeases, outcomes.source());
  }

  @Override
  public UpdateControl<VirtualService> reconcile(VirtualService vs, Context<VirtualService> context) {
    return timer.record(() -> doReconcile(vs));
  }

  private UpdateControl<VirtualService> doReconcile(VirtualService vs) {
    String key = PlanInputs.key(vs);
    requests.virtualServiceChanged(vs);
    long generation = vs.getMetadata().getGeneration() == null ? 0 : vs.getMetadata().getGeneration();
    List<String> problems = validation.validate(vs.getSpec());
    VirtualServiceStatus status;
    if (!problems.isEmpty()) {
      health.forget(key);
      status = VirtualServiceStatusBuilder.build(vs.getSpec(), generation, vs.getStatus(),
          new VirtualServiceStatusBuilder.Problem("InvalidSpec", String.join("; ", problems)), null, List.of(), null,
          clock.instant());
      status = publisher.keep(vs, status);
    } else {
      ClusterPlan.Outcome outcome = planned.outcome(key).orElse(null);
      if (outcome == null) {
        return UpdateControl.noUpdate(); // the sync reports back when it has planned this one
      }
      Optional<RealServerPool> pool = pools.get(new ResourceID(vs.getSpec().realServerPoolRef().name(), vs.getMetadata().getNamespace()));
      List<Member> members = pool.flatMap(resolved::plannable).orElse(List.of());
      Map<String, LvsNodeState> states = new HashMap<>();
      for (String n : outcome.nodes()) {
        sliceHolding(n, key).ifPresent(s -> states.put(n, s));
      }
      NodeReports.Tally tally = NodeReports.tally(key, outcome.nodes(), states,
          n -> ledger.since(planned.sliceOf(n, key).orElse(NodeSlices.name(n, 0)), key));
      // only the directors' own slices report on the owner's services; real-server nodes add nothing
      Map<MemberKey, List<DirectorHealth>> byMember = MemberHealthReports.of(key, vs.getSpec(), members, states);
      health.publish(key, vs.getMetadata().getNamespace() + "/" + vs.getSpec().realServerPoolRef().name(), byMember);
      status = VirtualServiceStatusBuilder.build(vs.getSpec(), generation, vs.getStatus(), null, outcome, members, tally,
          byMember, clock.instant());
      if (pool.isEmpty()) {
        status = VirtualServiceStatusBuilder.poolMissing(status, vs);
      }
      status = publisher.publish(vs, status); // the DNS name, when asked for
      status = withHa(vs, outcome, status);
    }
    transitions.record(vs, status);
    if (status.equals(vs.getStatus())) {
      return UpdateControl.noUpdate();
    }
    VirtualService patch = new VirtualService();
    patch.setMetadata(new ObjectMetaBuilder().withName(vs.getMetadata().getName()).withNamespace(vs.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    return UpdateControl.patchStatus(patch);
  }

  /**
   * The active director: the plan's holder for one director; for an HA VIP (no holder named by the
   * plan) its directors' Lease's holder and the last failover, and an Event when that is new.
   */
  private VirtualServiceStatus withHa(VirtualService vs, ClusterPlan.Outcome outcome, VirtualServiceStatus status) {
    if (vs.getSpec().vip() == null) {
      return status;
    }
    if (outcome.vipHolder() != null) { // one director: the operator's own choice, no election
      return status.withHa(outcome.vipHolder(), null);
    }
    Optional<Lease> lease = haLeases.get(new ResourceID(HaLeaseStatus.leaseName(vs.getSpec().vip()), leaseNamespace));
    if (lease.isEmpty()) {
      return status;
    }
    HaLeaseStatus.Ha ha = HaLeaseStatus.of(lease.get());
    failovers.record(vs, vs.getStatus() == null ? null : vs.getStatus().lastFailover(), ha.lastFailover());
    return HaLeaseStatus.apply(status, ha);
  }

  /** The node-state object (slice) that holds this owner's entries on the node, per the last plan. */
  private Optional<LvsNodeState> sliceHolding(String node, String key) {
    return planned.sliceOf(node, key).flatMap(name -> nodeStates.get(new ResourceID(name)));
  }

  @Override
  public DeleteControl cleanup(VirtualService vs, Context<VirtualService> context) {
    requests.virtualServiceChanged(vs); // one being deleted is planned out of every node
    String key = PlanInputs.key(vs);
    health.forget(key);
    Set<String> live = nodes.list().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    Set<String> waiting = new HashSet<>();
    Set<String> gone = new HashSet<>();
    nodeStates.list().forEach(s -> {
      if (Owners.holds(s, key)) {
        String node = NodeSlices.nodeOf(s);
        (live.contains(node) ? waiting : gone).add(node);
      }
    });
    if (waiting.isEmpty() && gone.isEmpty()) {
      events.normal(vs, "Removed", "state removed from every node");
      return DeleteControl.defaultDelete();
    }
    Instant deleted = Instant.parse(vs.getMetadata().getDeletionTimestamp());
    if (waiting.isEmpty() && !clock.instant().isBefore(deleted.plus(goneNodeTimeout))) {
      events.warning(vs, "CleanupTimedOut", "released after " + goneNodeTimeout.toSeconds()
          + "s without confirmation from nodes that no longer exist: " + String.join(",", new java.util.TreeSet<>(gone)));
      return DeleteControl.defaultDelete();
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(1000);
  }

  /** The VirtualServices the last plan put on this node (an index the sync keeps; no side effect). */
  private Set<ResourceID> plannedOnto(Node n) {
    return planned.ownersOn(n.getMetadata().getName()).stream().map(Owners::resourceId)
        .collect(Collectors.toSet());
  }
}
