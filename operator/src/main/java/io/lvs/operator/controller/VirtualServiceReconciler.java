package io.lvs.operator.controller;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.lvs.api.slices.NodeSlices;
import io.lvs.api.slices.SpecOwners;
import io.lvs.api.v1alpha1.DirectorHealth;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceStatus;
import io.lvs.operator.apply.EventRecorder;
import io.lvs.operator.apply.MemberHealthBook;
import io.lvs.operator.apply.NodeStateSync;
import io.lvs.operator.apply.PlanInputs;
import io.lvs.operator.apply.ProgrammingLedger;
import io.lvs.operator.apply.ResolvedPools;
import io.lvs.operator.plan.ClusterPlan;
import io.lvs.operator.plan.ServiceInput;
import io.lvs.operator.resolve.Labels;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.resolve.MemberKey;
import io.lvs.operator.status.Conditions;
import io.lvs.operator.status.MemberHealthReports;
import io.lvs.operator.status.NodeReports;
import io.lvs.operator.status.VirtualServiceStatusBuilder;
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
import java.util.stream.Stream;

/**
 * Orchestrates one VirtualService: validate, ask the node-state sync to plan (it plans all of them
 * together, since conflicts and shared nodes are global), and fold the plan's outcome, the pool's
 * members and the agents' reports into status. Deleting waits until the agents report its state
 * gone (finalizer), bounded for nodes that no longer exist.
 */
@ControllerConfiguration(name = "virtualservice")
public final class VirtualServiceReconciler implements Reconciler<VirtualService>, Cleaner<VirtualService> {
  private final SyncFactory syncFactory;
  private final ProgrammingLedger ledger;
  private final ResolvedPools resolved;
  private final MemberHealthBook health;
  private final SpecValidation validation;
  private final EventRecorder events;
  private final Clock clock;
  private final Duration goneNodeTimeout;
  private final Timer timer;
  private InformerEventSource<RealServerPool, VirtualService> pools;
  private InformerEventSource<LvsNodeState, VirtualService> nodeStates;
  private InformerEventSource<Node, VirtualService> nodes;
  private NodeStateSync sync;

  /** Builds the sync once the caches it reads exist. */
  public interface SyncFactory {
    NodeStateSync create(InformerView view, java.util.function.Consumer<Set<String>> outcomesChanged);
  }

  public VirtualServiceReconciler(
      SyncFactory syncFactory, ProgrammingLedger ledger, ResolvedPools resolved, MemberHealthBook health,
      SpecValidation validation, EventRecorder events, Clock clock, Duration goneNodeTimeout, MeterRegistry metrics) {
    this.syncFactory = syncFactory;
    this.ledger = ledger;
    this.resolved = resolved;
    this.health = health;
    this.validation = validation;
    this.events = events;
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
            .withSecondaryToPrimaryMapper(VirtualServiceReconciler::owners)
            .build(),
        context);
    nodes = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Node.class, VirtualService.class)
            .withName("vs-nodes")
            .withWatchAllNamespaces()
            .withOnUpdateFilter(Relevance::nodeChanged)
            .withSecondaryToPrimaryMapper(n -> affectedBy(n, primary))
            .build(),
        context);
    SimpleInboundEventSource<VirtualService> outcomes = new SimpleInboundEventSource<>("plan-outcomes");
    sync = syncFactory.create(new InformerView(primary, pools, nodeStates, nodes), keys -> keys.forEach(k -> {
      int slash = k.indexOf('/');
      outcomes.propagateEvent(new ResourceID(k.substring(slash + 1), k.substring(0, slash)));
    }));
    return List.of(pools, nodeStates, nodes, outcomes);
  }

  @Override
  public UpdateControl<VirtualService> reconcile(VirtualService vs, Context<VirtualService> context) {
    return timer.record(() -> doReconcile(vs));
  }

  private UpdateControl<VirtualService> doReconcile(VirtualService vs) {
    String key = PlanInputs.key(vs);
    requestPlanIfChanged(vs, key);
    long generation = vs.getMetadata().getGeneration() == null ? 0 : vs.getMetadata().getGeneration();
    List<String> problems = validation.validate(vs.getSpec());
    VirtualServiceStatus status;
    if (!problems.isEmpty()) {
      health.forget(key);
      status = VirtualServiceStatusBuilder.build(vs.getSpec(), generation, vs.getStatus(),
          new VirtualServiceStatusBuilder.Problem("InvalidSpec", String.join("; ", problems)), null, List.of(), null,
          clock.instant());
    } else {
      ClusterPlan plan = sync.latest();
      ClusterPlan.Outcome outcome = plan == null ? null : plan.services().get(key);
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
          n -> ledger.since(sync.sliceOf(n, key).orElse(NodeSlices.name(n, 0)), key));
      // only the directors' own slices report on the owner's services; real-server nodes add nothing
      Map<MemberKey, List<DirectorHealth>> byMember = MemberHealthReports.of(key, vs.getSpec(), members, states);
      health.publish(key, vs.getMetadata().getNamespace() + "/" + vs.getSpec().realServerPoolRef().name(), byMember);
      status = VirtualServiceStatusBuilder.build(vs.getSpec(), generation, vs.getStatus(), null, outcome, members, tally,
          byMember, clock.instant());
      if (pool.isEmpty()) {
        status = poolMissing(status, vs);
      }
    }
    recordTransitions(vs, status);
    if (status.equals(vs.getStatus())) {
      return UpdateControl.noUpdate();
    }
    VirtualService patch = new VirtualService();
    patch.setMetadata(new ObjectMetaBuilder().withName(vs.getMetadata().getName()).withNamespace(vs.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    return UpdateControl.patchStatus(patch);
  }

  /**
   * Plans again only when something this VirtualService is planned from changed (its spec, its
   * pool's members, its deletion) or a node object it was planned onto is gone. Most reconciles
   * are the sync's own "your outcome changed" or an agent's report: they need a status, not a
   * plan of all 2,000 VirtualServices.
   */
  private void requestPlanIfChanged(VirtualService vs, String key) {
    sync.cachesReady();
    ServiceInput now = sync.inputOf(vs);
    ClusterPlan plan = sync.latest();
    ClusterPlan.Outcome outcome = plan == null ? null : plan.services().get(key);
    boolean nodeObjectGone = outcome != null
        && outcome.nodes().stream().anyMatch(n -> sliceHolding(n, key).isEmpty());
    if (!Objects.equals(now, sync.plannedInput(key)) || nodeObjectGone) {
      sync.requestRun();
    }
  }

  /** The node-state object (slice) that holds this owner's entries on the node, per the last plan. */
  private Optional<LvsNodeState> sliceHolding(String node, String key) {
    return sync.sliceOf(node, key).flatMap(name -> nodeStates.get(new ResourceID(name)));
  }

  private VirtualServiceStatus poolMissing(VirtualServiceStatus s, VirtualService vs) {
    String msg = "spec.realServerPoolRef: RealServerPool " + vs.getMetadata().getNamespace() + "/"
        + vs.getSpec().realServerPoolRef().name() + " not found";
    List<Condition> conds = s.conditions().stream()
        .map(c -> Conditions.READY.equals(c.getType())
            ? new io.fabric8.kubernetes.api.model.ConditionBuilder(c).withReason("PoolNotFound").withMessage(msg).build()
            : c)
        .toList();
    return new VirtualServiceStatus(s.observedGeneration(), conds, s.ports(), s.readyRealServers(), s.realServers(), s.nodes());
  }

  private void recordTransitions(VirtualService vs, VirtualServiceStatus next) {
    List<Condition> before = vs.getStatus() == null ? List.of() : vs.getStatus().conditions();
    for (Condition c : next.conditions()) {
      Optional<Condition> was = Conditions.find(before, c.getType());
      if (was.isPresent() && Objects.equals(was.get().getStatus(), c.getStatus())
          && Objects.equals(was.get().getReason(), c.getReason())) {
        continue;
      }
      boolean bad = (Conditions.READY.equals(c.getType()) || Conditions.PROGRAMMED.equals(c.getType()))
          ? "False".equals(c.getStatus()) : "True".equals(c.getStatus());
      if (was.isEmpty() && !bad) {
        continue; // a first healthy condition is not news
      }
      if (bad && !"NodesPending".equals(c.getReason()) && !"Programming".equals(c.getReason())) {
        events.warning(vs, c.getReason(), c.getType() + ": " + c.getMessage());
      } else if (!bad) {
        events.normal(vs, c.getReason(), c.getType() + ": " + c.getMessage());
      }
    }
  }

  @Override
  public DeleteControl cleanup(VirtualService vs, Context<VirtualService> context) {
    sync.cachesReady();
    sync.requestRun(); // a VirtualService being deleted is planned out of every node
    String key = PlanInputs.key(vs);
    health.forget(key);
    Set<String> live = nodes.list().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    Set<String> waiting = new HashSet<>();
    Set<String> gone = new HashSet<>();
    nodeStates.list().forEach(s -> {
      if (holds(s, key)) {
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

  /**
   * Does this node object still carry the owner: in its spec (not yet rewritten), or in what its
   * agent last reported (not yet removed from the kernel, or not yet seen the new spec)?
   */
  static boolean holds(LvsNodeState s, String owner) {
    if (s.getSpec() != null && specOwners(s).contains(owner)) {
      return true;
    }
    if (s.getStatus() == null) {
      return false;
    }
    boolean reported = NodeReports.ownerReport(s, owner) != null
        || (s.getStatus().services() != null && s.getStatus().services().stream().anyMatch(r -> owner.equals(r.owner())));
    return reported;
  }

  static Set<String> specOwners(LvsNodeState s) {
    return SpecOwners.of(s.getSpec());
  }

  private static Set<ResourceID> owners(LvsNodeState s) {
    Set<String> keys = specOwners(s);
    if (s.getStatus() != null && s.getStatus().owners() != null) {
      s.getStatus().owners().forEach(o -> keys.add(o.owner()));
    }
    return keys.stream().filter(k -> k != null && k.contains("/"))
        .map(k -> new ResourceID(k.substring(k.indexOf('/') + 1), k.substring(0, k.indexOf('/'))))
        .collect(Collectors.toSet());
  }

  private Set<ResourceID> affectedBy(Node n, IndexerResourceCache<VirtualService> primary) {
    String name = n.getMetadata().getName();
    if (sync != null) {
      sync.requestRun(); // a node's labels, addresses or readiness are plan inputs of their own
    }
    ClusterPlan plan = sync == null ? null : sync.latest();
    return primary.list()
        .filter(vs -> vs.getSpec() != null && vs.getSpec().directors() != null
            && (Labels.matches(vs.getSpec().directors().nodeSelector(), n.getMetadata().getLabels())
                || plan != null && plan.services().containsKey(PlanInputs.key(vs))
                    && plan.services().get(PlanInputs.key(vs)).nodes().contains(name)))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** Stops the sync thread (operator shutdown). */
  public void close() {
    if (sync != null) {
      sync.close();
    }
  }
}
