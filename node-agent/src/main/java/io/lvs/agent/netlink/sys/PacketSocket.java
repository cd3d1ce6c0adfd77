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
 * An AF_PACKET / SOCK_DGRAM socket for ARP (ETH_P_ARP), to send gratuitous ARP when a VIP moves to
 * this node. The kernel builds the Ethernet header from sockaddr_ll; we hand it the ARP payload.
 * Like {@link NetlinkSocket}, it can be opened inside a named network namespace.
 */
public final class PacketSocket implements AutoCloseable {
  private static final int AF_PACKET = 17;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int ETH_P_ARP = 0x0806;
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
  private final String description;

  private PacketSocket(int fd, String description) {
    this.fd = fd;
    this.description = description;
  }

  /** An ARP packet socket in the named network namespace (null: the current one). */
  public static PacketSocket openArp(String netns) {
    String what = "AF_PACKET ARP socket" + (netns == null ? "" : " in netns " + netns);
    return new PacketSocket(Netns.createIn(netns, what, () -> create(what)), what);
  }

  private static int create(String what) {
    int s = LIBC.socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, Short.toUnsignedInt(Short.reverseBytes((short) ETH_P_ARP)));
    if (s < 0) {
      throw Errno.exception("socket", what, LastError.getLastError(RUNTIME), null);
    }
    return s;
  }

  /** Sends an ARP payload out of the interface to the given link-layer destination (6 bytes). */
  public void send(int ifindex, byte[] destinationMac, byte[] arp, String object) {
    // struct sockaddr_ll {u16 family; __be16 protocol; int ifindex; u16 hatype; u8 pkttype; u8 halen; u8 addr[8]}
    ByteBuffer sa = ByteBuffer.allocate(SOCKADDR_LL_LEN).order(ByteOrder.nativeOrder());
    sa.putShort((short) AF_PACKET).order(ByteOrder.BIG_ENDIAN).putShort((short) ETH_P_ARP)
        .order(ByteOrder.nativeOrder()).putInt(ifindex).putShort((short) ARPHRD_ETHER).put((byte) 0)
        .put((byte) destinationMac.length).put(destinationMac);
    ByteBuffer buf = ByteBuffer.allocateDirect(arp.length);
    buf.put(arp).flip();
    long n = LIBC.sendto(fd, buf, arp.length, 0, sa.array(), SOCKADDR_LL_LEN);
    if (n < 0) {
      throw Errno.exception("send gratuitous ARP", object, LastError.getLastError(RUNTIME), null);
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
