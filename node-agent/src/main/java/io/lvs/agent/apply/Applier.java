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
import java.util.ArrayList;
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
  private final OperationRunner runner;
  private final Differ differ;
  private final OwnershipStore store;

  public Applier(IpvsClient ipvs, RtnlClient rtnl, Sysctl sysctl, OwnershipStore store, Differ differ) {
    this.observer = new KernelObserver(ipvs, rtnl, sysctl);
    this.runner = new OperationRunner(ipvs, rtnl, new RestoringSysctl(sysctl));
    this.store = Objects.requireNonNull(store, "store");
    this.differ = Objects.requireNonNull(differ, "differ");
  }

  /** Converges the kernel (the owned part of it) on {@code desired}. */
  public ApplyReport apply(DesiredState desired) {
    OwnedSet owned = store.load();
    ObservedState observed = observer.observe(desired, owned);
    Plan plan = differ.plan(desired, observed, owned);
    return execute(plan, desired, observed, owned);
  }

  /** The plan {@link #apply} would run now, without running it. */
  public Plan dryRun(DesiredState desired) {
    OwnedSet owned = store.load();
    return differ.plan(desired, observer.observe(desired, owned), owned);
  }

  /** Removes everything this agent owns (the agent's uninstall path): apply of an empty state. */
  public ApplyReport deleteAll() {
    return apply(DesiredState.EMPTY);
  }

  public ObservedState observe(DesiredState desired) {
    return observer.observe(desired, store.load());
  }

  ApplyReport execute(Plan plan, DesiredState desired, ObservedState observed, OwnedSet owned) {
    OwnedSet recorded = writeAhead(plan, owned);
    OwnedSet.Builder next = owned.toBuilder();
    Map<ServiceKey, String> failedServices = new HashMap<>();
    Map<String, String> failedLinks = new HashMap<>();
    List<OperationResult> results = new ArrayList<>(plan.size());
    for (Operation op : plan.operations()) {
      String blocker = blocker(op, failedServices, failedLinks);
      if (blocker != null) {
        results.add(new OperationResult(op, OperationResult.Outcome.SKIPPED, blocker));
        continue;
      }
      try {
        OwnedSysctl ledger = runner.run(op);
        OwnershipUpdates.succeeded(op, ledger, next);
        results.add(new OperationResult(op, OperationResult.Outcome.SUCCEEDED, null));
      } catch (RuntimeException e) {
        String error = e.getMessage() == null ? e.toString() : e.getMessage();
        LOG.warn("{} {} failed: {}", op.phase(), op.object(), error);
        results.add(new OperationResult(op, OperationResult.Outcome.FAILED, error));
        if (op instanceof Operation.AddService s) {
          failedServices.put(s.service().key(), error);
        } else if (op instanceof Operation.AddLink l) {
          failedLinks.put(l.name(), error);
        }
      }
    }
    OwnershipUpdates.forget(plan.forget(), next);
    OwnershipUpdates.refreshOwners(desired, observed, next);
    OwnedSet saved = next.build();
    if (!saved.equals(recorded)) {
      store.save(saved);
    }
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
