package io.lvs.agent.ipvs;

import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;

/**
 * One change to the IPVS table as data, so many can go to the kernel together
 * ({@link IpvsClient#execute}). Each names itself the way its error message will.
 */
public sealed interface IpvsCommand {
  /** "add service", "delete destination", ...: the operation words of its error. */
  String operation();

  /** "TCP 198.18.0.100:80", "198.18.0.11:80 to TCP 198.18.0.100:80": the object words. */
  String object();

  record AddService(IpvsService service) implements IpvsCommand {
    public String operation() {
      return "add service";
    }

    public String object() {
      return service.key().toString();
    }
  }

  record UpdateService(IpvsService service) implements IpvsCommand {
    public String operation() {
      return "update service";
    }

    public String object() {
      return service.key().toString();
    }
  }

  record DeleteService(ServiceKey key) implements IpvsCommand {
    public String operation() {
      return "delete service";
    }

    public String object() {
      return key.toString();
    }
  }

  record AddDestination(ServiceKey service, Destination destination) implements IpvsCommand {
    public String operation() {
      return "add destination";
    }

    public String object() {
      return destination.key() + " to " + service;
    }
  }

  record UpdateDestination(ServiceKey service, Destination destination) implements IpvsCommand {
    public String operation() {
      return "update destination";
    }

    public String object() {
      return destination.key() + " of " + service;
    }
  }

  record DeleteDestination(ServiceKey service, DestinationKey destination) implements IpvsCommand {
    public String operation() {
      return "delete destination";
    }

    public String object() {
      return destination + " from " + service;
    }
  }
}
