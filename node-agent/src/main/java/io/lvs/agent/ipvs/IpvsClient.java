package io.lvs.agent.ipvs;

import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.netlink.NetlinkException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The kernel's IPVS table, one call per IPVS_CMD_*. Every failure is an
 * {@link io.lvs.agent.netlink.NetlinkException} naming the operation, the object and errno.
 * Implementations: NetlinkIpvsClient (the kernel), FakeIpvs (tests, keyed as the kernel keys).
 */
public interface IpvsClient {
  /** IPVS_CMD_GET_SERVICE dump, with each service's destinations (IPVS_CMD_GET_DEST dumps). */
  List<ObservedService> dump();

  /** The services alone, config and counters, without destinations (one IPVS_CMD_GET_SERVICE dump). */
  default List<ObservedService> dumpServices() {
    return dump().stream().map(s -> new ObservedService(s.service(), s.stats(), List.of())).toList();
  }

  /** The destinations of one service (IPVS_CMD_GET_DEST dump); empty if there is no such service. */
  default List<ObservedDestination> dumpDestinations(ServiceKey key) {
    return dump().stream().filter(s -> s.service().key().equals(key)).findFirst()
        .map(ObservedService::destinations).orElse(List.of());
  }

  /**
   * The kernel's text view of the table ({@link ProcIpvsTable}), which a resync can check the
   * whole table with at a fraction of the dumps' cost: each service with its destinations to
   * {@code perService}, one at a time; false when this client has none.
   */
  default boolean textTable(BiConsumer<ServiceKey, List<ProcIpvsTable.Row>> perService) {
    return false;
  }

  /** {@link #textTable(BiConsumer)} as one map (tests, benchmarks); empty when this client has none. */
  default Optional<Map<ServiceKey, List<ProcIpvsTable.Row>>> textTable() {
    Map<ServiceKey, List<ProcIpvsTable.Row>> t = new java.util.LinkedHashMap<>();
    return textTable(t::put) ? Optional.of(t) : Optional.empty();
  }

  void addService(IpvsService service);

  void updateService(IpvsService service);

  void deleteService(ServiceKey key);

  void addDestination(ServiceKey service, Destination destination);

  void updateDestination(ServiceKey service, Destination destination);

  void deleteDestination(ServiceKey service, DestinationKey destination);

  /**
   * Runs the commands in order and reports one result per command, in order: empty when the
   * kernel accepted it, else its error. A failed command does not stop the later ones. The
   * netlink client sends many per datagram; this default runs them one by one.
   */
  default List<Optional<NetlinkException>> execute(List<IpvsCommand> commands) {
    List<Optional<NetlinkException>> out = new ArrayList<>(commands.size());
    for (IpvsCommand c : commands) {
      try {
        if (c instanceof IpvsCommand.AddService a) {
          addService(a.service());
        } else if (c instanceof IpvsCommand.UpdateService u) {
          updateService(u.service());
        } else if (c instanceof IpvsCommand.DeleteService d) {
          deleteService(d.key());
        } else if (c instanceof IpvsCommand.AddDestination a) {
          addDestination(a.service(), a.destination());
        } else if (c instanceof IpvsCommand.UpdateDestination u) {
          updateDestination(u.service(), u.destination());
        } else if (c instanceof IpvsCommand.DeleteDestination d) {
          deleteDestination(d.service(), d.destination());
        }
        out.add(Optional.empty());
      } catch (NetlinkException e) {
        out.add(Optional.of(e));
      }
    }
    return out;
  }

  /** IPVS_CMD_GET_INFO: version and connection table size. */
  IpvsInfo info();

  /** IPVS_CMD_GET_CONFIG. */
  IpvsTimeouts timeouts();

  /** IPVS_CMD_SET_CONFIG; a zero field leaves that timeout unchanged (the kernel's rule). */
  void setTimeouts(IpvsTimeouts timeouts);

  /** IPVS_CMD_GET_DAEMON. */
  List<SyncDaemon> daemons();

  /** IPVS_CMD_NEW_DAEMON. */
  void startDaemon(SyncDaemon daemon);

  /** IPVS_CMD_DEL_DAEMON for the daemon's state (master or backup). */
  void stopDaemon(SyncDaemon.State state);
}
