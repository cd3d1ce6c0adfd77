package io.lvs.agent.model;

/** IP_VS_CONN_F_TUNNEL_TYPE_* from linux/ip_vs.h (kernel 5.3+ for GUE/GRE). */
public enum TunnelType {
  IPIP(0),
  GUE(1),
  GRE(2);

  private final int value;

  TunnelType(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static TunnelType ofValue(int v) {
    for (TunnelType t : values()) {
      if (t.value == v) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown tunnel type " + v);
  }
}
