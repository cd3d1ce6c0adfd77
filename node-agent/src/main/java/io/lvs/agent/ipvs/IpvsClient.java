package io.lvs.agent.ipvs;

import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import java.util.List;

/**
 * The kernel's IPVS table, one call per IPVS_CMD_*. Every failure is an
 * {@link io.lvs.agent.netlink.NetlinkException} naming the operation, the object and errno.
 * Implementations: NetlinkIpvsClient (the kernel), FakeIpvs (tests, keyed as the kernel keys).
 */
public interface IpvsClient {
  /** IPVS_CMD_GET_SERVICE dump, with each service's destinations (IPVS_CMD_GET_DEST dumps). */
  List<ObservedService> dump();

  void addService(IpvsService service);

  void updateService(IpvsService service);

  void deleteService(ServiceKey key);

  void addDestination(ServiceKey service, Destination destination);

  void updateDestination(ServiceKey service, Destination destination);

  void deleteDestination(ServiceKey service, DestinationKey destination);

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
