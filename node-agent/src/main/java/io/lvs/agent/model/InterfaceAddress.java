package io.lvs.agent.model;

import java.net.InetAddress;
import java.util.Objects;

/** An address on a named interface (what `ip addr add ADDRESS/PREFIX dev IFACE` creates). */
public record InterfaceAddress(String interfaceName, InetAddress address, int prefixLength) {
  public InterfaceAddress {
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(address, "address");
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + prefixLength + " dev " + interfaceName;
  }
}
