package io.lvs.agent.diff;

import io.lvs.agent.dataplane.ObjectRef;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ServiceKey;
import java.util.Set;

/**
 * One kernel change. {@link #phase()} fixes the order a plan runs in; {@link #object()} names what
 * it changes and {@link #owners()} who asked for it, for per-object results.
 */
public sealed interface Operation {
  ObjectRef object();

  Set<String> owners();

  Phase phase();

  /**
   * The order a plan runs in: create what others depend on first, delete it last. Sysctls come
   * before addresses so a real server has arp_ignore/arp_announce set before its VIP appears (the
   * seed's order: otherwise it may answer ARP for the VIP in between); per-link sysctls
   * (conf.tunl0.rp_filter) need their link, so links come first. Removal mirrors it: the VIP goes
   * before the ARP sysctls are restored.
   */
  enum Phase {
    ADD_LINK,
    LINK_UP,
    SET_SYSCTL,
    ADD_ADDRESS,
    ADD_SERVICE,
    UPDATE_SERVICE,
    ADD_DESTINATION,
    UPDATE_DESTINATION,
    QUIESCE_DESTINATION,
    DELETE_DESTINATION,
    DELETE_SERVICE,
    DELETE_ADDRESS,
    RESTORE_SYSCTL,
    DELETE_LINK
  }

  record AddLink(String name, String kind, Set<String> owners) implements Operation {
    public ObjectRef object() {
      return ObjectRef.link(name);
    }

    public Phase phase() {
      return Phase.ADD_LINK;
    }
  }

  /** Brings up a link; {@code owned} is false for a link that was there already (tunl0). */
  record SetLinkUp(String name, boolean owned, Set<String> owners) implements Operation {
    public ObjectRef object() {
      return ObjectRef.link(name);
    }

    public Phase phase() {
      return Phase.LINK_UP;
    }
  }

  record DeleteLink(String name, Set<String> owners) implements Operation {
    public ObjectRef object() {
      return ObjectRef.link(name);
    }

    public Phase phase() {
      return Phase.DELETE_LINK;
    }
  }

  record AddAddress(InterfaceAddress address, boolean announce, Set<String> owners) implements Operation {
    public ObjectRef object() {
      return ObjectRef.address(address);
    }

    public Phase phase() {
      return Phase.ADD_ADDRESS;
    }
  }

  record DeleteAddress(InterfaceAddress address, Set<String> owners) implements Operation {
    public ObjectRef object() {
      return ObjectRef.address(address);
    }

    public Phase phase() {
      return Phase.DELETE_ADDRESS;
    }
  }

  /** Writes a sysctl; {@code original} is the value to restore later (already recorded or found now). */
  record SetSysctl(String key, String value, String original, Set<String> owners) implements Operation {
    public ObjectRef object() {
      return ObjectRef.sysctl(key);
    }

    public Phase phase() {
      return Phase.SET_SYSCTL;
    }
  }

  /** Writes back the value found before this agent's first write. */
  record RestoreSysctl(String key, String original, Set<String> owners) implements Operation {
    public ObjectRef object() {
      return ObjectRef.sysctl(key);
    }

    public Phase phase() {
      return Phase.RESTORE_SYSCTL;
    }
  }

  record AddService(IpvsService service, String owner) implements Operation {
    public ObjectRef object() {
      return ObjectRef.service(service.key());
    }

    public Set<String> owners() {
      return Set.of(owner);
    }

    public Phase phase() {
      return Phase.ADD_SERVICE;
    }
  }

  record UpdateService(IpvsService service, String owner) implements Operation {
    public ObjectRef object() {
      return ObjectRef.service(service.key());
    }

    public Set<String> owners() {
      return Set.of(owner);
    }

    public Phase phase() {
      return Phase.UPDATE_SERVICE;
    }
  }

  record DeleteService(ServiceKey key, String owner) implements Operation {
    public ObjectRef object() {
      return ObjectRef.service(key);
    }

    public Set<String> owners() {
      return Set.of(owner);
    }

    public Phase phase() {
      return Phase.DELETE_SERVICE;
    }
  }

  record AddDestination(ServiceKey service, Destination destination, String owner) implements Operation {
    public ObjectRef object() {
      return ObjectRef.destination(service, destination.key());
    }

    public Set<String> owners() {
      return Set.of(owner);
    }

    public Phase phase() {
      return Phase.ADD_DESTINATION;
    }
  }

  /** Edits a destination; {@code quiesce} marks a move to weight 0 of a draining one. */
  record UpdateDestination(ServiceKey service, Destination destination, boolean quiesce, String owner)
      implements Operation {
    public ObjectRef object() {
      return ObjectRef.destination(service, destination.key());
    }

    public Set<String> owners() {
      return Set.of(owner);
    }

    public Phase phase() {
      return quiesce ? Phase.QUIESCE_DESTINATION : Phase.UPDATE_DESTINATION;
    }
  }

  record DeleteDestination(ServiceKey service, DestinationKey destination, String owner) implements Operation {
    public ObjectRef object() {
      return ObjectRef.destination(service, destination);
    }

    public Set<String> owners() {
      return Set.of(owner);
    }

    public Phase phase() {
      return Phase.DELETE_DESTINATION;
    }
  }
}
