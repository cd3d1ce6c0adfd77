package io.lvs.agent.rtnl;

import io.lvs.agent.netlink.sys.PacketSocket;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Announces that an IPv4 VIP now lives on this node's interface: a gratuitous ARP (an ARP
 * request for the VIP from the VIP, RFC 5227 "ARP announcement") broadcast out of it, so the
 * segment's neighbours repoint their caches at once instead of waiting for them to expire.
 */
public final class GratuitousArp {
  private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

  private final PacketSocket socket;

  public GratuitousArp(PacketSocket socket) {
    this.socket = Objects.requireNonNull(socket, "socket");
  }

  /** Sends one announcement for {@code vip} out of the interface (index, MAC). */
  public void announce(int ifindex, byte[] mac, Inet4Address vip, String interfaceName) {
    socket.send(ifindex, BROADCAST, packet(mac, vip), vip.getHostAddress() + " on " + interfaceName);
  }

  /**
   * The ARP payload: htype Ethernet, ptype IPv4, hlen 6, plen 4, oper request (1), sender MAC and
   * VIP, target MAC zero, target VIP (RFC 826 layout, as arping -U sends it).
   */
  public static byte[] packet(byte[] mac, Inet4Address vip) {
    if (mac.length != 6) {
      throw new IllegalArgumentException("MAC of " + mac.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(28);
    b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
    b.put(mac).put(vip.getAddress()).put(new byte[6]).put(vip.getAddress());
    return b.array();
  }
}
