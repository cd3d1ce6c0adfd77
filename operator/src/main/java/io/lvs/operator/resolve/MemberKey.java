package io.lvs.operator.resolve;

/** A member as IPVS keys a destination: address and port. */
public record MemberKey(String address, int port) implements Comparable<MemberKey> {
  @Override
  public int compareTo(MemberKey o) {
    int c = address.compareTo(o.address);
    return c != 0 ? c : Integer.compare(port, o.port);
  }

  @Override
  public String toString() {
    return address.contains(":") ? "[" + address + "]:" + port : address + ":" + port;
  }
}
