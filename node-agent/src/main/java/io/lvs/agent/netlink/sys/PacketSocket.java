package io.lvs.agent.netlink.sys;

import io.lvs.agent.netlink.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * An AF_PACKET / SOCK_DGRAM socket for ARP (ETH_P_ARP) or IPv6 (ETH_P_IPV6), to send gratuitous
 * ARP or an unsolicited neighbour advertisement when a VIP moves to this node. The kernel builds the
 * Ethernet header from sockaddr_ll; we hand it the ARP payload or the whole IPv6 packet.
 * Like {@link NetlinkSocket}, it can be opened inside a named network namespace.
 */
public final class PacketSocket implements AutoCloseable {
  private static final int AF_PACKET = 17;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int ETH_P_ARP = 0x0806;
  private static final int ETH_P_IPV6 = 0x86DD;
  private static final int ARPHRD_ETHER = 1;
  private static final int SOCKADDR_LL_LEN = 20;

  /** The libc entry points used. */
  public interface LibC {
    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    @ssize_t
    long sendto(int fd, @In ByteBuffer buf, @size_t long len, int flags, @In byte[] addr, int addrLen);

    int close(int fd);
  }

  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
  private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

  private final int fd;
  private final int ethertype;
  private final String description;

  private PacketSocket(int fd, int ethertype, String description) {
    this.fd = fd;
    this.ethertype = ethertype;
    this.description = description;
  }

  /** An ARP packet socket in the named network namespace (null: the current one). */
  public static PacketSocket openArp(String netns) {
    return open(netns, ETH_P_ARP, "ARP");
  }

  /** An IPv6 packet socket (for neighbour advertisements) in the named network namespace (null: current). */
  public static PacketSocket openIpv6(String netns) {
    return open(netns, ETH_P_IPV6, "IPv6");
  }

  private static PacketSocket open(String netns, int ethertype, String kind) {
    String what = "AF_PACKET " + kind + " socket" + (netns == null ? "" : " in netns " + netns);
    return new PacketSocket(Netns.createIn(netns, what, () -> create(what, ethertype)), ethertype, what);
  }

  private static int create(String what, int ethertype) {
    int s = LIBC.socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, Short.toUnsignedInt(Short.reverseBytes((short) ethertype)));
    if (s < 0) {
      throw Errno.exception("socket", what, LastError.getLastError(RUNTIME), null);
    }
    return s;
  }

  /** Sends a payload (ARP, or an IPv6 packet) out of the interface to the link-layer destination (6 bytes). */
  public void send(int ifindex, byte[] destinationMac, byte[] arp, String object) {
    // struct sockaddr_ll {u16 family; __be16 protocol; int ifindex; u16 hatype; u8 pkttype; u8 halen; u8 addr[8]}
    ByteBuffer sa = ByteBuffer.allocate(SOCKADDR_LL_LEN).order(ByteOrder.nativeOrder());
    sa.putShort((short) AF_PACKET).order(ByteOrder.BIG_ENDIAN).putShort((short) ethertype)
        .order(ByteOrder.nativeOrder()).putInt(ifindex).putShort((short) ARPHRD_ETHER).put((byte) 0)
        .put((byte) destinationMac.length).put(destinationMac);
    ByteBuffer buf = ByteBuffer.allocateDirect(arp.length);
    buf.put(arp).flip();
    long n = LIBC.sendto(fd, buf, arp.length, 0, sa.array(), SOCKADDR_LL_LEN);
    if (n < 0) {
      String op = ethertype == ETH_P_ARP ? "send gratuitous ARP" : "send neighbour advertisement";
      throw Errno.exception(op, object, LastError.getLastError(RUNTIME), null);
    }
  }

  @Override
  public void close() {
    LIBC.close(fd);
  }

  @Override
  public String toString() {
    return "PacketSocket[" + description + "]";
  }
}
