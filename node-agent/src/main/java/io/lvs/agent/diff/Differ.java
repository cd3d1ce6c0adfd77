package io.lvs.agent.diff;

import io.lvs.agent.dataplane.Conflict;
import io.lvs.agent.dataplane.DesiredAddress;
import io.lvs.agent.dataplane.DesiredDestination;
import io.lvs.agent.dataplane.DesiredLink;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.DesiredSysctl;
import io.lvs.agent.dataplane.ObjectRef;
import io.lvs.agent.dataplane.ObservedState;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.ownership.OwnedService;
import io.lvs.agent.ownership.OwnedSet;
import io.lvs.agent.ownership.OwnedSysctl;
import io.lvs.agent.rtnl.RtnlClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * desired + observed kernel + owned set -> the ordered, minimal {@link Plan}. Pure: no I/O, no
 * clock (draining time lives in the {@link DrainPolicy}). It only ever plans to edit or delete
 * objects in the owned set; a wanted object that exists but is not owned becomes a
 * {@link Conflict}, everything else in the kernel is invisible to it.
 */
public final class Differ {
  private final DrainPolicy drainPolicy;

  public Differ(DrainPolicy drainPolicy) {
    this.drainPolicy = Objects.requireNonNull(drainPolicy, "drainPolicy");
  }

  public Differ() {
    this(DrainPolicy.IMMEDIATE);
  }

  /** The same differ deciding drains with another policy. */
  public Differ withDrainPolicy(DrainPolicy policy) {
    return new Differ(policy);
  }

  public Plan plan(DesiredState desired, ObservedState observed, OwnedSet owned) {
    List<Operation> ops = new ArrayList<>();
    List<Conflict> conflicts = new ArrayList<>(desired.conflicts());
    List<ObjectRef> forget = new ArrayList<>();
    links(desired, observed, owned, ops, conflicts, forget);
    addresses(desired, observed, owned, ops, conflicts, forget);
    sysctls(desired, observed, owned, ops, forget);
    drainPolicy.beginRound();
    try {
      services(desired, observed, owned, ops, conflicts, forget);
    } finally {
      drainPolicy.endRound();
    }
    // A stable sort: within one phase the order is desired-state order, so plans are deterministic.
    ops.sort(Comparator.comparing(Operation::phase));
    return new Plan(ops, conflicts, forget);
  }

  private static void links(
      DesiredState desired, ObservedState observed, OwnedSet owned,
      List<Operation> ops, List<Conflict> conflicts, List<ObjectRef> forget) {
    for (DesiredLink d : desired.links().values()) {
      RtnlClient.Link seen = observed.links().get(d.name());
      boolean isOwned = owned.links().containsKey(d.name());
      if (seen == null) {
        ops.add(new Operation.AddLink(d.name(), d.kind(), d.owners()));
      } else if (seen.kind() != null && !seen.kind().equals(d.kind())) {
        conflicts.add(new Conflict(ObjectRef.link(d.name()), d.owners(),
            "link exists as kind " + seen.kind() + ", wanted " + d.kind() + "; left as is"));
      } else if (!seen.up()) {
        ops.add(new Operation.SetLinkUp(d.name(), isOwned, d.owners()));
      }
    }
    owned.links().forEach((name, owners) -> {
      if (!desired.links().containsKey(name)) {
        if (observed.links().containsKey(name)) {
          ops.add(new Operation.DeleteLink(name, owners));
        } else {
          forget.add(ObjectRef.link(name));
        }
      }
    });
  }

  private static void addresses(
      DesiredState desired, ObservedState observed, OwnedSet owned,
      List<Operation> ops, List<Conflict> conflicts, List<ObjectRef> forget) {
    for (DesiredAddress d : desired.addresses().values()) {
      boolean present = observed.addresses().contains(d.address());
      if (!present) {
        ops.add(new Operation.AddAddress(d.address(), d.announce(), d.owners()));
      } else if (!owned.addresses().containsKey(d.address())) {
        conflicts.add(new Conflict(ObjectRef.address(d.address()), d.owners(),
            "address exists and was not added by this agent; left as is"));
      }
    }
    for (Map.Entry<InterfaceAddress, java.util.SortedSet<String>> e : owned.addresses().entrySet()) {
      if (!desired.addresses().containsKey(e.getKey())) {
        if (observed.addresses().contains(e.getKey())) {
          ops.add(new Operation.DeleteAddress(e.getKey(), e.getValue()));
        } else {
          forget.add(ObjectRef.address(e.getKey()));
        }
      }
    }
  }

  private static void sysctls(
      DesiredState desired, ObservedState observed, OwnedSet owned, List<Operation> ops, List<ObjectRef> forget) {
    for (DesiredSysctl d : desired.sysctls().values()) {
      String current = observed.sysctls().get(d.key());
      OwnedSysctl mine = owned.sysctls().get(d.key());
      if (current != null && sameSysctl(current, d.value())) {
        continue; // already right: nothing to write (and, if not owned, nothing to restore later)
      }
      // original null: the key did not exist when observed (e.g. conf.tunl0.* before tunl0 is
      // created by this plan); the applier reads it right before writing.
      String original = mine != null ? mine.original() : current;
      ops.add(new Operation.SetSysctl(d.key(), d.value(), original, d.owners()));
    }
    owned.sysctls().forEach((key, mine) -> {
      if (!desired.sysctls().containsKey(key)) {
        // Restore only what still holds the value this agent wrote: a value someone changed
        // since is theirs now (and one already back at the original needs nothing).
        String current = observed.sysctls().get(key);
        if (current != null && sameSysctl(current, mine.value()) && !sameSysctl(current, mine.original())) {
          ops.add(new Operation.RestoreSysctl(key, mine.original(), mine.owners()));
        } else {
          forget.add(ObjectRef.sysctl(key));
        }
      }
    });
  }

  /** /proc/sys separates vector values with tabs; compare them word by word. */
  static boolean sameSysctl(String a, String b) {
    return a.trim().replaceAll("\\s+", " ").equals(b.trim().replaceAll("\\s+", " "));
  }

  private void services(
      DesiredState desired, ObservedState observed, OwnedSet owned,
      List<Operation> ops, List<Conflict> conflicts, List<ObjectRef> forget) {
    for (DesiredService d : desired.services().values()) {
      ServiceKey key = d.key();
      ObservedService seen = observed.services().get(key);
      if (seen == null) {
        ops.add(new Operation.AddService(d.service(), d.owner()));
        for (DesiredDestination dd : d.destinations().values()) {
          if (!dd.draining()) {
            ops.add(new Operation.AddDestination(key, dd.kernelDestination(), d.owner()));
          }
        }
        continue;
      }
      if (!owned.ownsService(key)) {
        conflicts.add(new Conflict(ObjectRef.service(key), Set.of(d.owner()),
            "IPVS service exists and was not created by this agent (kube-proxy or by hand); left as is"));
        continue;
      }
      if (!sameService(d.service(), seen.service())) {
        ops.add(new Operation.UpdateService(d.service(), d.owner()));
      }
      destinations(d, seen, owned, ops, forget);
    }
    owned.services().forEach((key, mine) -> {
      if (!desired.services().containsKey(key)) {
        if (observed.services().containsKey(key)) {
          ops.add(new Operation.DeleteService(key, mine.owner()));
        } else {
          forget.add(ObjectRef.service(key));
        }
      }
    });
  }

  private void destinations(
      DesiredService d, ObservedService seen, OwnedSet owned, List<Operation> ops, List<ObjectRef> forget) {
    ServiceKey key = d.key();
    Map<DestinationKey, ObservedDestination> inKernel = new HashMap<>();
    seen.destinations().forEach(od -> inKernel.put(od.destination().key(), od));
    // Destinations inside a service this agent owns that are wanted are taken as ours even when
    // the owned set lacks them: the agent may have died between the kernel call and saving.
    for (DesiredDestination dd : d.destinations().values()) {
      ObservedDestination od = inKernel.get(dd.destination().key());
      Destination want = dd.kernelDestination();
      if (od == null) {
        if (!dd.draining()) {
          ops.add(new Operation.AddDestination(key, want, d.owner()));
        }
      } else if (!od.destination().equals(want)) {
        boolean quiesce = dd.draining() && od.destination().withWeight(0).equals(want);
        ops.add(new Operation.UpdateDestination(key, want, quiesce, d.owner()));
      }
    }
    OwnedService mine = owned.services().get(key);
    if (everyOwnedIsWanted(d, mine)) {
      return; // the usual case: a lookup per wanted key instead of making every owned key
    }
    for (DestinationKey dk : mine.destinations()) {
      if (d.destinations().containsKey(dk)) {
        continue;
      }
      ObservedDestination od = inKernel.get(dk);
      if (od == null) {
        forget.add(ObjectRef.destination(key, dk));
      } else if (mayDelete(d, od)) {
        ops.add(new Operation.DeleteDestination(key, dk, d.owner()));
      } else if (od.destination().weight() != 0) {
        ops.add(new Operation.UpdateDestination(key, od.destination().withWeight(0), true, d.owner()));
      }
    }
  }

  /** Whether the owned keys are a subset of the wanted ones: as many of the wanted are owned as there are owned. */
  private static boolean everyOwnedIsWanted(DesiredService d, OwnedService mine) {
    Set<DestinationKey> owned = mine.destinations();
    if (owned.size() > d.destinations().size()) {
      return false;
    }
    int wantedAndOwned = 0;
    for (DestinationKey k : d.destinations().keySet()) {
      if (owned.contains(k)) {
        wantedAndOwned++;
      }
    }
    return wantedAndOwned == owned.size();
  }

  private boolean mayDelete(DesiredService d, ObservedDestination od) {
    if (d.drainGracePeriod().isZero() || d.key().protocol() == IpProtocol.UDP) {
      return true; // UDP has no connection end to wait for (kube-proxy does the same)
    }
    return drainPolicy.mayDelete(d.key(), od, d.drainGracePeriod());
  }

  /** The kernel adds IP_VS_SVC_F_HASHED itself; every other configurable field must match. */
  static boolean sameService(IpvsService want, IpvsService seen) {
    return want.scheduler().equals(seen.scheduler())
        && (want.flags() & ~IpvsService.F_HASHED) == (seen.flags() & ~IpvsService.F_HASHED)
        && want.timeoutSeconds() == seen.timeoutSeconds()
        && want.netmaskPrefixLength() == seen.netmaskPrefixLength();
  }
}
