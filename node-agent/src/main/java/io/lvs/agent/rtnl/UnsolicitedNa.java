package io.lvs.agent.rtnl;

import io.lvs.agent.netlink.sys.PacketSocket;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Announces that an IPv6 VIP now lives on this node's interface: an unsolicited neighbour
 * advertisement (RFC 4861 7.2.6) to all-nodes with the override flag and our link-layer address,
 * so neighbours holding an entry for the VIP repoint it at once (IPv6's gratuitous ARP).
 */
public final class UnsolicitedNa {
  /** 33:33:00:00:00:01, the Ethernet multicast of ff02::1. */
  private static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};
  private static final byte[] ALL_NODES = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  private static final int ICMPV6 = 58;
  private static final int NA_LEN = 24 + 8; // header + target, then the target link-layer option

  private final PacketSocket socket;

  public UnsolicitedNa(PacketSocket socket) {
    this.socket = Objects.requireNonNull(socket, "socket");
  }

  public void announce(int ifindex, byte[] mac, Inet6Address vip, String interfaceName) {
    socket.send(ifindex, ALL_NODES_MAC, packet(mac, vip), vip.getHostAddress() + " on " + interfaceName);
  }

  /**
   * The IPv6 packet: hop limit 255 (receivers drop NAs with any other), source the VIP, destination
   * ff02::1; ICMPv6 type 136, flags override only (not a router, not solicited), target the VIP,
   * option 2 (target link-layer address) with our MAC.
   */
  public static byte[] packet(byte[] mac, Inet6Address vip) {
    if (mac.length != 6) {
      throw new IllegalArgumentException("MAC of " + mac.length + " bytes");
    }
    byte[] src = vip.getAddress();
    ByteBuffer icmp = ByteBuffer.allocate(NA_LEN);
    icmp.put((byte) 136).put((byte) 0).putShort((short) 0).putInt(0x20000000).put(src);
    icmp.put((byte) 2).put((byte) 1).put(mac);
    icmp.putShort(2, checksum(src, ALL_NODES, icmp.array()));
    ByteBuffer b = ByteBuffer.allocate(40 + NA_LEN);
    b.putInt(0x60000000).putShort((short) NA_LEN).put((byte) ICMPV6).put((byte) 255).put(src).put(ALL_NODES);
    return b.put(icmp.array()).array();
  }

  /** The ICMPv6 checksum over the pseudo-header (RFC 8200 8.1) and the message. */
  static short checksum(byte[] src, byte[] dst, byte[] message) {
    ByteBuffer p = ByteBuffer.allocate(40 + message.length + 1);
    p.put(src).put(dst).putInt(message.length).put(new byte[3]).put((byte) ICMPV6).put(message);
    long sum = 0;
    for (int i = 0; i + 1 < p.capacity(); i += 2) {
      sum += Short.toUnsignedInt(p.getShort(i));
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (short) ~sum;
  }
}
