package io.lvs.agent.apply;

import io.lvs.agent.dataplane.DesiredAddress;
import io.lvs.agent.dataplane.DesiredLink;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.dataplane.DesiredSysctl;
import io.lvs.agent.dataplane.ObjectRef;
import io.lvs.agent.dataplane.ObservedState;
import io.lvs.agent.diff.Operation;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.ownership.OwnedSet;
import io.lvs.agent.ownership.OwnedSysctl;
import java.util.List;
import java.util.Set;

/** How the owned set follows the kernel: only successful operations change it. */
final class OwnershipUpdates {
  private OwnershipUpdates() {}

  static void succeeded(Operation op, OwnedSysctl ledger, OwnedSet.Builder owned) {
    if (op instanceof Operation.AddService o) {
      owned.service(o.service().key(), o.owner());
    } else if (op instanceof Operation.DeleteService o) {
      owned.removeService(o.key());
    } else if (op instanceof Operation.AddDestination o) {
      owned.destination(o.service(), o.destination().key());
    } else if (op instanceof Operation.UpdateDestination o) {
      owned.destination(o.service(), o.destination().key());
    } else if (op instanceof Operation.DeleteDestination o) {
      owned.removeDestination(o.service(), o.destination());
    } else if (op instanceof Operation.AddAddress o) {
      owned.address(o.address(), o.owners());
    } else if (op instanceof Operation.DeleteAddress o) {
      owned.removeAddress(o.address());
    } else if (op instanceof Operation.SetSysctl o) {
      owned.sysctl(o.key(), ledger);
    } else if (op instanceof Operation.RestoreSysctl o) {
      owned.removeSysctl(o.key());
    } else if (op instanceof Operation.AddLink o) {
      owned.link(o.name(), o.owners());
    } else if (op instanceof Operation.DeleteLink o) {
      owned.removeLink(o.name());
    }
  }

  /** Owned objects gone from the kernel that nobody wants any more. */
  static void forget(List<ObjectRef> refs, OwnedSet.Builder owned) {
    OwnedSet current = owned.build();
    for (ObjectRef ref : refs) {
      switch (ref.kind()) {
        case SERVICE -> current.services().keySet().stream()
            .filter(k -> k.toString().equals(ref.id())).findFirst().ifPresent(owned::removeService);
        case DESTINATION -> current.services().forEach((k, s) -> s.destinations().stream()
            .filter(d -> ObjectRef.destination(k, d).equals(ref)).findFirst()
            .ifPresent(d -> owned.removeDestination(k, d)));
        case ADDRESS -> current.addresses().keySet().stream()
            .filter(a -> ObjectRef.address(a).equals(ref)).findFirst().ifPresent(owned::removeAddress);
        case LINK -> owned.removeLink(ref.id());
        case SYSCTL -> owned.removeSysctl(ref.id());
      }
    }
  }

  /**
   * Owners follow the desired state (a VirtualService renamed or a second one sharing a VIP), and
   * wanted destinations already in an owned service are adopted: the agent may have died between
   * adding them and saving the owned set.
   */
  static void refreshOwners(DesiredState desired, ObservedState observed, OwnedSet.Builder owned) {
    OwnedSet current = owned.build();
    for (DesiredService d : desired.services().values()) {
      if (!current.ownsService(d.key())) {
        continue;
      }
      owned.service(d.key(), d.owner());
      ObservedService seen = observed.services().get(d.key());
      if (seen != null) {
        Set<DestinationKey> held = current.services().get(d.key()).destinations();
        for (ObservedDestination od : seen.destinations()) {
          DestinationKey k = od.destination().key();
          if (!held.contains(k) && d.destinations().containsKey(k)) { // held: the usual case, one lookup
            owned.destination(d.key(), k);
          }
        }
      }
    }
    for (DesiredAddress a : desired.addresses().values()) {
      if (current.addresses().containsKey(a.address())) {
        owned.address(a.address(), a.owners());
      }
    }
    for (DesiredLink l : desired.links().values()) {
      if (current.links().containsKey(l.name())) {
        owned.link(l.name(), l.owners());
      }
    }
    for (DesiredSysctl s : desired.sysctls().values()) {
      OwnedSysctl mine = current.sysctls().get(s.key());
      if (mine != null) {
        owned.sysctl(s.key(), new OwnedSysctl(mine.original(), mine.value(), s.owners()));
      }
    }
  }
}
