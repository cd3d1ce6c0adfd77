package io.lvs.agent.apply;

import io.lvs.agent.diff.Operation;
import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.ipvs.IpvsCommand;
import io.lvs.agent.netlink.NetlinkException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

  /** What became of one operation: the sysctl ledger entry to record (or null), or the error. */
  record Outcome(OwnedSysctl ledger, RuntimeException error) {}

  static boolean isIpvs(Operation op) {
    return op instanceof Operation.AddService || op instanceof Operation.UpdateService
        || op instanceof Operation.DeleteService || op instanceof Operation.AddDestination
        || op instanceof Operation.UpdateDestination || op instanceof Operation.DeleteDestination;
  }

  /**
   * Runs the operations in order, each to its own outcome. A run of IPVS operations goes through
   * {@link IpvsClient#execute} (batched by the netlink client); others one call each.
   */
  List<Outcome> runAll(List<Operation> ops) {
    List<Outcome> out = new ArrayList<>(ops.size());
    if (ops.size() > 1 && ops.stream().allMatch(OperationRunner::isIpvs)) {
      List<IpvsCommand> commands = ops.stream().map(OperationRunner::command).toList();
      List<Optional<NetlinkException>> errors;
      try {
        errors = ipvs.execute(commands);
      } catch (RuntimeException e) {
        ops.forEach(op -> out.add(new Outcome(null, e))); // the batch itself failed (socket error)
        return out;
      }
      errors.forEach(e -> out.add(new Outcome(null, e.orElse(null))));
      return out;
    }
    for (Operation op : ops) {
      try {
        out.add(new Outcome(run(op), null));
      } catch (RuntimeException e) {
        out.add(new Outcome(null, e));
      }
    }
    return out;
  }

  static IpvsCommand command(Operation op) {
    if (op instanceof Operation.AddService o) {
      return new IpvsCommand.AddService(o.service());
    } else if (op instanceof Operation.UpdateService o) {
      return new IpvsCommand.UpdateService(o.service());
    } else if (op instanceof Operation.DeleteService o) {
      return new IpvsCommand.DeleteService(o.key());
    } else if (op instanceof Operation.AddDestination o) {
      return new IpvsCommand.AddDestination(o.service(), o.destination());
    } else if (op instanceof Operation.UpdateDestination o) {
      return new IpvsCommand.UpdateDestination(o.service(), o.destination());
    } else if (op instanceof Operation.DeleteDestination o) {
      return new IpvsCommand.DeleteDestination(o.service(), o.destination());
    }
    throw new IllegalArgumentException("not an IPVS operation: " + op);
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
      if (o.announce()) {
        rtnl.announce(o.address());
      }
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
