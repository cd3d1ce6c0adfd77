package io.lvs.agent.apply;

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

/** Forwards every call; tests override one to interpose. */
class DelegatingIpvs implements IpvsClient {
  private final IpvsClient d;

  DelegatingIpvs(IpvsClient d) {
    this.d = d;
  }

  @Override
  public List<ObservedService> dump() {
    return d.dump();
  }

  @Override
  public void addService(IpvsService service) {
    d.addService(service);
  }

  @Override
  public void updateService(IpvsService service) {
    d.updateService(service);
  }

  @Override
  public void deleteService(ServiceKey key) {
    d.deleteService(key);
  }

  @Override
  public void addDestination(ServiceKey service, Destination destination) {
    d.addDestination(service, destination);
  }

  @Override
  public void updateDestination(ServiceKey service, Destination destination) {
    d.updateDestination(service, destination);
  }

  @Override
  public void deleteDestination(ServiceKey service, DestinationKey destination) {
    d.deleteDestination(service, destination);
  }

  @Override
  public IpvsInfo info() {
    return d.info();
  }

  @Override
  public IpvsTimeouts timeouts() {
    return d.timeouts();
  }

  @Override
  public void setTimeouts(IpvsTimeouts timeouts) {
    d.setTimeouts(timeouts);
  }

  @Override
  public List<SyncDaemon> daemons() {
    return d.daemons();
  }

  @Override
  public void startDaemon(SyncDaemon daemon) {
    d.startDaemon(daemon);
  }

  @Override
  public void stopDaemon(SyncDaemon.State state) {
    d.stopDaemon(state);
  }
}
