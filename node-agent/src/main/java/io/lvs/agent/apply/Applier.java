package io.lvs.agent.apply;

import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.ObservedState;
import io.lvs.agent.diff.Differ;
import io.lvs.agent.diff.Operation;
import io.lvs.agent.diff.Plan;
import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.ownership.OwnedSet;
import io.lvs.agent.ownership.OwnedSysctl;
import io.lvs.agent.ownership.OwnershipStore;
import io.lvs.agent.rtnl.RtnlClient;
import io.lvs.agent.sysctl.RestoringSysctl;
import io.lvs.agent.sysctl.Sysctl;
import io.lvs.agent.dataplane.Conflict;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.ObjectRef;
import io.lvs.agent.diff.DrainPolicy;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.ownership.OwnedService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dataplane's entry point: read the kernel, diff against the desired state and the owned set,
 * run the plan, record what now belongs to this agent. A failing operation does not stop the
 * others; operations that depend on it (destinations of a service that was not created, addresses
 * and sysctls of a link that was not created) are SKIPPED. Not thread-safe: one sync at a time.
 */
public final class Applier {
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

  private final KernelObserver observer;
  private final TableCheck check;
  private final OperationRunner runner;
  private final Differ differ;
  private final OwnershipStore store;
  /** The owned set as last saved; loaded from the store on the first use. */
  private OwnedSet owned;
  /** The kernel as of the last full read plus what succeeded since; null before the first apply. */
  private KernelView view;
  private DesiredState lastDesired;
  private List<Conflict> lastConflicts = List.of();

  /** Tables up to this many services have every service's destinations dumped on every resync. */
  public static final int RESYNC_MINIMUM_DEEP = TableCheck.DEFAULT_MINIMUM_DEEP;

  public Applier(IpvsClient ipvs, RtnlClient rtnl, Sysctl sysctl, OwnershipStore store, Differ differ) {
    this(ipvs, rtnl, sysctl, store, differ, RESYNC_MINIMUM_DEEP, TableCheck.DEFAULT_CYCLES);
  }

  /**
   * With the resync's destination dumps set: at least {@code minimumDeep} services per resync,
   * and every service at least once in {@code cycles} resyncs (see {@link #resync}).
   */
  public Applier(IpvsClient ipvs, RtnlClient rtnl, Sysctl sysctl, OwnershipStore store, Differ differ, int minimumDeep,
      int cycles) {
    this.check = new TableCheck(ipvs, minimumDeep, cycles);
    this.observer = new KernelObserver(ipvs, rtnl, sysctl);
    this.runner = new OperationRunner(ipvs, rtnl, new RestoringSysctl(sysctl));
    this.store = Objects.requireNonNull(store, "store");
    this.differ = Objects.requireNonNull(differ, "differ");
  }

  /**
   * A full sync: reads the kernel (the whole IPVS table, addresses, links, the sysctls in play)
   * and converges the owned part of it on {@code desired}. What the agent does at start and on
   * its resync timer; it repairs drift.
   */
  public ApplyReport apply(DesiredState desired) {
    OwnedSet current = owned();
    return converge(desired, observer.observe(desired, current), current);
  }

  /**
   * The resync timer's sync: converges like {@link #apply} and repairs the same drift, but reads
   * the table through a {@link TableCheck}: every service's config and every destination's key,
   * forwarding method and weight are checked on each call, while destination dumps go only to the
   * services that differ from the view (and to a rolling share of the rest, for the attributes the
   * check cannot see: thresholds, tunnel settings, counters). A full {@link #apply} before the
   * first one.
   */
  public ApplyReport resync(DesiredState desired) {
    if (view == null) {
      return apply(desired);
    }
    OwnedSet current = owned();
    return converge(desired, observer.observe(desired, current, check.read(view.servicesByKey())), current);
  }

  /** Plans from what was observed, remembers it as the view, and carries the plan out. */
  private ApplyReport converge(DesiredState desired, ObservedState observed, OwnedSet current) {
    Plan plan = differ.plan(desired, observed, current);
    view = new KernelView(observed, desired); // sharing the desired state's values: one copy of the table
    ApplyReport report = execute(plan, desired, observed, current);
    lastDesired = desired;
    lastConflicts = plan.conflicts();
    return report;
  }

  /** Destination dumps the last {@link #resync} sent (the rest of the table was checked without). */
  public int lastResyncDumps() {
    return check.lastDumps();
  }

  /**
   * An incremental sync: diffs only the services that differ from the last applied desired state
   * (and all addresses, links and sysctls, which are few) against the kernel as this applier last
   * saw and changed it, without reading the kernel. Its cost follows the size of the change, not
   * of the table. Falls back to {@link #apply} before the first full sync and when a destination
   * must drain (that needs fresh connection counts). Drift in untouched services waits for the
   * next full sync.
   */
  public ApplyReport applyChanges(DesiredState desired) {
    if (view == null || lastDesired == null) {
      return apply(desired);
    }
    Set<ServiceKey> changed = new LinkedHashSet<>();
    Map<ServiceKey, DesiredService> before = lastDesired.services();
    desired.services().forEach((k, d) -> {
      DesiredService prev = before.get(k);
      if (d != prev && !d.equals(prev)) {
        changed.add(k);
      }
    });
    for (ServiceKey k : before.keySet()) {
      if (!desired.services().containsKey(k)) {
        changed.add(k);
      }
    }
    return applyChanges(desired, changed);
  }

  /**
   * {@link #applyChanges(DesiredState)} for a caller that knows which services changed since the
   * last apply (added, edited or removed): it skips the scan of the whole desired state, so its
   * cost does not depend on the table size at all. Services outside {@code changed} are assumed
   * equal to the last applied ones.
   */
  public ApplyReport applyChanges(DesiredState desired, Collection<ServiceKey> changedServices) {
    if (view == null || lastDesired == null) {
      return apply(desired);
    }
    Set<ServiceKey> changed = new LinkedHashSet<>(changedServices);
    OwnedSet current = owned();
    view.learnSysctls(observer.sysctls(view.unknownSysctls(desired.sysctls().keySet())));
    DesiredState scopedDesired = scope(desired, changed);
    ObservedState scopedObserved = view.scoped(changed);
    DrainProbe probe = new DrainProbe();
    Plan scoped = differ.withDrainPolicy(probe).plan(scopedDesired, scopedObserved, scope(current, changed));
    if (probe.consulted) {
      return apply(desired);
    }
    // the differ's conflicts of services outside the change still stand; those the last desired
    // state itself carried (two owners wanting one service) are the new state's to say again, and
    // it did (scope keeps them): an owner gone since would otherwise leave its conflict behind
    Set<ObjectRef> changedRefs = new HashSet<>();
    changed.forEach(k -> changedRefs.add(ObjectRef.service(k)));
    List<Conflict> conflicts = new ArrayList<>(scoped.conflicts());
    List<Conflict> wished = lastDesired.conflicts();
    for (Conflict c : lastConflicts) {
      if (c.object().kind() == ObjectRef.Kind.SERVICE && !changedRefs.contains(c.object()) && !conflicts.contains(c)
          && !wished.contains(c)) {
        conflicts.add(c);
      }
    }
    Plan plan = new Plan(scoped.operations(), conflicts, scoped.forget());
    ApplyReport report = execute(plan, scopedDesired, scopedObserved, current);
    lastDesired = desired;
    lastConflicts = conflicts;
    return report;
  }

  /**
   * The IPVS table as the last apply left it: its read plus every operation the kernel accepted
   * since (counters from that read). Lets a caller report read-back state without a second dump
   * of the whole table; empty before the first apply.
   */
  public List<ObservedService> observedServices() {
    return view == null ? List.of() : view.services();
  }

  /** The plan {@link #apply} would run now, without running it. */
  public Plan dryRun(DesiredState desired) {
    OwnedSet current = owned();
    return differ.plan(desired, observer.observe(desired, current), current);
  }

  /** Removes everything this agent owns (the agent's uninstall path): apply of an empty state. */
  public ApplyReport deleteAll() {
    return apply(DesiredState.EMPTY);
  }

  public ObservedState observe(DesiredState desired) {
    return observer.observe(desired, owned());
  }

  /**
   * Replaces the timeouts' originals in the owned set and saves it at once (the timeouts are
   * written by {@link TimeoutKeeper}, between two applies).
   */
  public void recordTimeouts(io.lvs.agent.ownership.OwnedTimeouts timeouts) {
    OwnedSet next = owned().withTimeouts(timeouts);
    if (next != owned) {
      store.save(next);
      owned = next;
    }
  }

  /** What this agent owns now. */
  public OwnedSet owned() {
    if (owned == null) {
      owned = store.load();
    }
    return owned;
  }

  private static DesiredState scope(DesiredState d, Set<ServiceKey> keys) {
    Map<ServiceKey, DesiredService> services = new LinkedHashMap<>();
    for (ServiceKey k : keys) {
      DesiredService s = d.services().get(k);
      if (s != null) {
        services.put(k, s);
      }
    }
    return new DesiredState(services, d.addresses(), d.links(), d.sysctls(), d.snat(), d.marks(), d.conflicts());
  }

  private static OwnedSet scope(OwnedSet o, Set<ServiceKey> keys) {
    Map<ServiceKey, OwnedService> services = new LinkedHashMap<>();
    for (ServiceKey k : keys) {
      OwnedService s = o.services().get(k);
      if (s != null) {
        services.put(k, s);
      }
    }
    return new OwnedSet(services, o.addresses(), o.links(), o.sysctls(), o.timeouts());
  }

  /** Answers "not yet" and remembers it was asked: the incremental path then defers to a full sync. */
  private static final class DrainProbe implements DrainPolicy {
    boolean consulted;

    @Override
    public boolean mayDelete(ServiceKey service, ObservedDestination destination, Duration gracePeriod) {
      consulted = true;
      return false;
    }
  }

  ApplyReport execute(Plan plan, DesiredState desired, ObservedState observed, OwnedSet owned) {
    OwnedSet recorded = writeAhead(plan, owned);
    OwnedSet.Builder next = owned.toBuilder();
    Map<ServiceKey, String> failedServices = new HashMap<>();
    Map<String, String> failedLinks = new HashMap<>();
    List<OperationResult> results = new ArrayList<>(plan.size());
    List<Operation> ops = plan.operations();
    for (int i = 0; i < ops.size(); ) {
      // IPVS operations of one phase go to the kernel as one batch (many requests per datagram);
      // a phase holds only IPVS operations or none, so the plan's order is kept.
      int end = i + 1;
      if (OperationRunner.isIpvs(ops.get(i))) {
        while (end < ops.size() && ops.get(end).phase() == ops.get(i).phase()) {
          end++;
        }
      }
      List<Operation> runnable = new ArrayList<>(end - i);
      for (Operation op : ops.subList(i, end)) {
        String blocker = blocker(op, failedServices, failedLinks);
        if (blocker != null) {
          results.add(new OperationResult(op, OperationResult.Outcome.SKIPPED, blocker));
        } else {
          runnable.add(op);
        }
      }
      List<OperationRunner.Outcome> outcomes = runner.runAll(runnable);
      for (int k = 0; k < runnable.size(); k++) {
        Operation op = runnable.get(k);
        OperationRunner.Outcome o = outcomes.get(k);
        if (o.error() == null) {
          OwnershipUpdates.succeeded(op, o.ledger(), next);
          view.record(op, o.ledger());
          results.add(new OperationResult(op, OperationResult.Outcome.SUCCEEDED, null));
        } else {
          String error = o.error().getMessage() == null ? o.error().toString() : o.error().getMessage();
          LOG.warn("{} {} failed: {}", op.phase(), op.object(), error);
          results.add(new OperationResult(op, OperationResult.Outcome.FAILED, error));
          if (op instanceof Operation.AddService s) {
            failedServices.put(s.service().key(), error);
          } else if (op instanceof Operation.AddLink l) {
            failedLinks.put(l.name(), error);
          }
        }
      }
      i = end;
    }
    OwnershipUpdates.forget(plan.forget(), next);
    OwnershipUpdates.refreshOwners(desired, observed, next);
    OwnedSet saved = next.build();
    if (saved != recorded && saved.equals(recorded)) {
      saved = recorded; // what the write-ahead saved, which the store holds too: one set in memory, not two
    } else if (saved != recorded) {
      store.save(saved);
    }
    this.owned = saved;
    return new ApplyReport(plan, results, saved);
  }

  /**
   * Records what the plan is about to create before creating it, so an agent that dies halfway
   * still knows those objects are its own (otherwise, on restart, they would look foreign and be
   * left in the kernel for ever). Objects recorded but never created are forgotten by the next
   * plan: they are absent from the kernel. Returns what the store now holds.
   */
  private OwnedSet writeAhead(Plan plan, OwnedSet owned) {
    OwnedSet.Builder intent = null;
    for (Operation op : plan.operations()) {
      boolean creates = op instanceof Operation.AddService || op instanceof Operation.AddDestination
          || op instanceof Operation.AddAddress || op instanceof Operation.AddLink
          || (op instanceof Operation.SetSysctl s && s.original() != null && !owned.sysctls().containsKey(s.key()));
      if (creates) {
        if (intent == null) {
          intent = owned.toBuilder();
        }
        OwnershipUpdates.succeeded(op, ledgerOf(op), intent);
      }
    }
    if (intent == null) {
      return owned;
    }
    OwnedSet recorded = intent.build();
    store.save(recorded);
    return recorded;
  }

  private static OwnedSysctl ledgerOf(Operation op) {
    return op instanceof Operation.SetSysctl s
        ? new OwnedSysctl(s.original(), s.value(), new java.util.TreeSet<>(s.owners()))
        : null;
  }

  private static String blocker(Operation op, Map<ServiceKey, String> services, Map<String, String> links) {
    if (!services.isEmpty()) {
      ServiceKey key = null;
      if (op instanceof Operation.AddDestination d) {
        key = d.service();
      } else if (op instanceof Operation.UpdateDestination d) {
        key = d.service();
      }
      if (key != null && services.containsKey(key)) {
        return "service " + key + " was not created: " + services.get(key);
      }
    }
    if (!links.isEmpty()) {
      String link = null;
      if (op instanceof Operation.AddAddress a) {
        link = a.address().interfaceName();
      } else if (op instanceof Operation.SetSysctl s) {
        link = linkOfSysctl(s.key());
      }
      if (link != null && links.containsKey(link)) {
        return "link " + link + " was not created: " + links.get(link);
      }
    }
    return null;
  }

  /** "net.ipv4.conf.tunl0.rp_filter" -> "tunl0"; null for keys that are not per interface. */
  static String linkOfSysctl(String key) {
    String[] parts = key.split("\\.");
    return parts.length == 5 && parts[0].equals("net") && parts[2].equals("conf") ? parts[3] : null;
  }
}
