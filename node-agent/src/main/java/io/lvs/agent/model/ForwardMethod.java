package io.lvs.agent.model;

/** IP_VS_CONN_F_FWD_MASK values from linux/ip_vs.h. */
public enum ForwardMethod {
  MASQ(0),
  LOCALNODE(1),
  TUNNEL(2),
  DROUTE(3),
  BYPASS(4);

  private final int value;

  ForwardMethod(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static ForwardMethod ofValue(int v) {
    for (ForwardMethod m : values()) {
      if (m.value == v) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown forwarding method " + v);
  }
}
