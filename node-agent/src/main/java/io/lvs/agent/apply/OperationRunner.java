package io.lvs.agent.apply;

import io.lvs.agent.diff.Operation;
import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.ownership.OwnedSysctl;
import io.lvs.agent.rtnl.RtnlClient;
import io.lvs.agent.sysctl.RestoringSysctl;

/**
 * Carries out one operation with one kernel call (two for a new link: create, then up). Throws
 * what the client throws; the applier turns that into a FAILED result.
 */
final class OperationRunner {
  private final IpvsClient ipvs;
  private final RtnlClient rtnl;
  private final RestoringSysctl sysctl;

  OperationRunner(IpvsClient ipvs, RtnlClient rtnl, RestoringSysctl sysctl) {
    this.ipvs = ipvs;
    this.rtnl = rtnl;
    this.sysctl = sysctl;
  }

  /** Runs the operation; for a sysctl write returns the ledger entry to record, else null. */
  OwnedSysctl run(Operation op) {
    if (op instanceof Operation.AddService o) {
      ipvs.addService(o.service());
    } else if (op instanceof Operation.UpdateService o) {
      ipvs.updateService(o.service());
    } else if (op instanceof Operation.DeleteService o) {
      ipvs.deleteService(o.key());
    } else if (op instanceof Operation.AddDestination o) {
      ipvs.addDestination(o.service(), o.destination());
    } else if (op instanceof Operation.UpdateDestination o) {
      ipvs.updateDestination(o.service(), o.destination());
    } else if (op instanceof Operation.DeleteDestination o) {
      ipvs.deleteDestination(o.service(), o.destination());
    } else if (op instanceof Operation.AddAddress o) {
      rtnl.addAddress(o.address());
    } else if (op instanceof Operation.DeleteAddress o) {
      rtnl.deleteAddress(o.address());
    } else if (op instanceof Operation.SetSysctl o) {
      return sysctl.set(o.key(), o.value(), o.original(), o.owners());
    } else if (op instanceof Operation.RestoreSysctl o) {
      sysctl.restore(o.key(), o.original());
    } else if (op instanceof Operation.AddLink o) {
      rtnl.addLink(o.name(), o.kind());
      rtnl.setLinkUp(o.name());
    } else if (op instanceof Operation.SetLinkUp o) {
      rtnl.setLinkUp(o.name());
    } else if (op instanceof Operation.DeleteLink o) {
      rtnl.deleteLink(o.name());
    } else {
      throw new IllegalArgumentException("unknown operation " + op);
    }
    return null;
  }
}
