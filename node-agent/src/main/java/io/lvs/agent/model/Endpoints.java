package io.lvs.agent.model;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Formatting of address:port the way ipvsadm -n prints it. */
public final class Endpoints {
  private Endpoints() {}

  public static String format(InetAddress address, int port) {
    String host = address.getHostAddress();
    return address instanceof Inet6Address ? "[" + host + "]:" + port : host + ":" + port;
  }
}
