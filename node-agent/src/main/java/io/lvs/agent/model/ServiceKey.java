package io.lvs.agent.model;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * How the kernel identifies an IPVS service: (protocol, address, port) or (family, fwmark). For
 * a fwmark service address is null and port 0; for an address service fwmark is 0.
 */
public record ServiceKey(Family family, IpProtocol protocol, InetAddress address, int port, long fwmark) {
  public ServiceKey {
    Objects.requireNonNull(family, "family");
    if (fwmark == 0) {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(protocol, "protocol");
      if (Family.of(address) != family) {
        throw new IllegalArgumentException("family " + family + " does not match " + address);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
    } else if (address != null || port != 0) {
      throw new IllegalArgumentException("a fwmark service has no address or port");
    }
  }

  public static ServiceKey of(IpProtocol protocol, InetAddress address, int port) {
    return new ServiceKey(Family.of(address), protocol, address, port, 0);
  }

  public static ServiceKey ofFwmark(Family family, long fwmark) {
    return new ServiceKey(family, null, null, 0, fwmark);
  }

  // Written out, as the record would define it: the generated method's method-handle chain costs
  // several times more under C1 (the agent image's compiler), and these are the table's map keys.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof ServiceKey k && port == k.port && fwmark == k.fwmark && family == k.family
        && protocol == k.protocol && Objects.equals(address, k.address);
  }

  @Override
  public int hashCode() {
    // ordinals, not the enums' identity hashes: as cheap, and Enum.hashCode stood out in the profile
    return (((family.ordinal() * 31 + (protocol == null ? -1 : protocol.ordinal())) * 31 + Objects.hashCode(address)) * 31
        + port) * 31 + Long.hashCode(fwmark);
  }

  public boolean isFwmark() {
    return fwmark != 0;
  }

  /** ipvsadm's notation: "TCP 198.18.0.100:80", "TCP [2001:db8::1]:80", "FWM 7". */
  @Override
  public String toString() {
    if (isFwmark()) {
      return "FWM " + fwmark + (family == Family.INET6 ? " IPv6" : "");
    }
    return protocol + " " + Endpoints.format(address, port);
  }

  public static Family familyOf(InetAddress a) {
    return a instanceof Inet6Address ? Family.INET6 : Family.INET;
  }
}
