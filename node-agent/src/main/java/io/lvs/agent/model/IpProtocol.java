package io.lvs.agent.model;

/** IP protocols IPVS balances, with their IPPROTO_* numbers. */
public enum IpProtocol {
  TCP(6),
  UDP(17),
  SCTP(132);

  private final int number;

  IpProtocol(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  public static IpProtocol ofNumber(int n) {
    for (IpProtocol p : values()) {
      if (p.number == n) {
        return p;
      }
    }
    throw new IllegalArgumentException("unsupported IP protocol " + n);
  }
}
