package io.lvs.agent.model;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Address family with the kernel's AF_* numbers. */
public enum Family {
  INET(2),
  INET6(10);

  private final int af;

  Family(int af) {
    this.af = af;
  }

  public int af() {
    return af;
  }

  public static Family of(InetAddress a) {
    return a instanceof Inet6Address ? INET6 : INET;
  }

  public static Family ofAf(int af) {
    for (Family f : values()) {
      if (f.af == af) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown address family " + af);
  }
}
