package io.lvs.agent.podnet;

import io.lvs.agent.ipvs.IpvsClient;
import io.lvs.agent.ipvs.IpvsInfo;
import io.lvs.agent.ipvs.IpvsTimeouts;
import io.lvs.agent.ipvs.SyncDaemon;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import java.util.List;

/**
 * The IPVS of a pod namespace as the pod's Applier sees it: empty, and never written. A pod real
 * server holds addresses and sysctls only; reading the pod's table would only find what the pod
 * made itself, which is not ours to diff.
 */
final class NoIpvs implements IpvsClient {
  static final NoIpvs INSTANCE = new NoIpvs();

  private NoIpvs() {}

  @Override
  public List<ObservedService> dump() {
    return List.of();
  }

  private static UnsupportedOperationException refused() {
    return new UnsupportedOperationException("a pod namespace gets no IPVS services from the agent");
  }

  @Override
  public void addService(IpvsService service) {
    throw refused();
  }

  @Override
  public void updateService(IpvsService service) {
    throw refused();
  }

  @Override
  public void deleteService(ServiceKey key) {
    throw refused();
  }

  @Override
  public void addDestination(ServiceKey service, Destination destination) {
    throw refused();
  }

  @Override
  public void updateDestination(ServiceKey service, Destination destination) {
    throw refused();
  }

  @Override
  public void deleteDestination(ServiceKey service, DestinationKey destination) {
    throw refused();
  }

  @Override
  public IpvsInfo info() {
    throw refused();
  }

  @Override
  public IpvsTimeouts timeouts() {
    throw refused();
  }

  @Override
  public void setTimeouts(IpvsTimeouts timeouts) {
    throw refused();
  }

  @Override
  public List<SyncDaemon> daemons() {
    throw refused();
  }

  @Override
  public void startDaemon(SyncDaemon daemon) {
    throw refused();
  }

  @Override
  public void stopDaemon(SyncDaemon.State state) {
    throw refused();
  }
}
