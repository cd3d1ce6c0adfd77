package io.lvs.agent.model;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address as its 32 bits, both ways. {@link Inet4Address#hashCode} is the address itself
 * (OpenJDK's since 1.0; {@code Ipv4Test} holds the JDK to it) where {@code getAddress()} makes a
 * copy: the resync compares a hundred thousand destination keys with numbers read from the text
 * table and the owned set's packed keys.
 */
public final class Ipv4 {
  private Ipv4() {}

  /** The address's bits, most significant byte first, as a signed int. */
  public static int bits(Inet4Address a) {
    return a.hashCode();
  }

  /** The address of these bits. */
  public static Inet4Address address(int bits) {
    byte[] b = {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    try {
      return (Inet4Address) InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }
}
