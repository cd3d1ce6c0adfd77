package io.lvs.agent.dataplane;

import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.InterfaceAddress;
import io.lvs.agent.model.ServiceKey;
import java.util.Objects;

/**
 * Names one kernel object the agent may program, in the notation an operator reads in status:
 * "TCP 198.18.0.100:80", "TCP 198.18.0.100:80 -> 198.18.0.11:80", "198.18.0.100/32 dev lo",
 * "tunl0", "net.ipv4.conf.lo.arp_ignore".
 */
public record ObjectRef(Kind kind, String id) implements Comparable<ObjectRef> {
  /** The kinds of object, in the order a plan creates them. */
  public enum Kind {
    LINK,
    ADDRESS,
    SYSCTL,
    SERVICE,
    DESTINATION
  }

  /** Between a destination's service and its own key in its id. */
  public static final String ARROW = " -> ";

  public ObjectRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
  }

  public static ObjectRef service(ServiceKey key) {
    return new ObjectRef(Kind.SERVICE, key.toString());
  }

  public static ObjectRef destination(ServiceKey service, DestinationKey destination) {
    return new ObjectRef(Kind.DESTINATION, service + ARROW + destination);
  }

  public static ObjectRef address(InterfaceAddress address) {
    return new ObjectRef(Kind.ADDRESS, address.toString());
  }

  public static ObjectRef link(String name) {
    return new ObjectRef(Kind.LINK, name);
  }

  public static ObjectRef sysctl(String key) {
    return new ObjectRef(Kind.SYSCTL, key);
  }

  @Override
  public int compareTo(ObjectRef o) {
    int c = kind.compareTo(o.kind);
    return c != 0 ? c : id.compareTo(o.id);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + id;
  }
}
