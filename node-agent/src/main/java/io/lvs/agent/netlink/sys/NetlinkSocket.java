package io.lvs.agent.netlink.sys;

import io.lvs.agent.netlink.Errno;
import io.lvs.agent.netlink.NetlinkTransport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * An AF_NETLINK socket (system calls through jnr-ffi, as in {@link PacketSocket} and
 * {@link Netns}, the package's other two). Everything above it sees {@link NetlinkTransport}. The
 * socket can be opened inside a named network namespace ({@link Netns}); it keeps talking to the
 * namespace it was created in, so one JVM can program several namespaces' IPVS tables.
 */
public final class NetlinkSocket implements NetlinkTransport {
  public static final int NETLINK_ROUTE = 0;
  public static final int NETLINK_GENERIC = 16;

  private static final int AF_NETLINK = 16;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_SNDBUF = 7;
  private static final int SO_RCVBUF = 8;
  private static final int SO_RCVTIMEO = 20;
  private static final int SO_SNDBUFFORCE = 32;
  private static final int SO_RCVBUFFORCE = 33;
  private static final int SOL_NETLINK = 270;
  private static final int NETLINK_CAP_ACK = 10;
  private static final int NETLINK_EXT_ACK = 11;
  private static final int MSG_TRUNC = 0x20;
  private static final int MSG_DONTWAIT = 0x40;
  private static final int SOCKADDR_NL_LEN = 12;

  /** The libc entry points used; @SaveError keeps errno for {@link LastError}. */
  public interface LibC {
    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int bind(int fd, @In byte[] addr, int len);

    @SaveError
    int getsockname(int fd, @Out byte[] addr, int[] len);

    @SaveError
    int setsockopt(int fd, int level, int name, @In byte[] value, int len);

    @SaveError
    @ssize_t
    long sendto(int fd, @In ByteBuffer buf, @size_t long len, int flags, @In byte[] addr, int addrLen);

    @SaveError
    @ssize_t
    long recvfrom(int fd, @Out ByteBuffer buf, @size_t long len, int flags, @Out byte[] addr, int[] addrLen);

    int close(int fd);
  }

  /** Loading libc is costly and the proxy is stateless: one per class loader, never mutated. */
  private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

  private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

  private final int fd;
  private final int portId;
  private final String description;
  private volatile boolean closed;
  /** Where heap datagrams are copied for sendto; reused (a resync sends 10,001 dump requests). */
  private ByteBuffer tx = ByteBuffer.allocateDirect(4096);
  private final byte[] kernelAddress = sockaddrNl(0);

  private NetlinkSocket(int fd, int portId, String description) {
    this.fd = fd;
    this.portId = portId;
    this.description = description;
  }

  /** A socket of the given netlink protocol in the calling thread's network namespace. */
  public static NetlinkSocket open(int protocol) {
    return openIn(protocol, null);
  }

  /**
   * A socket in the named network namespace ("ns1" means /var/run/netns/ns1; a value with a slash
   * is taken as a path such as /proc/1234/ns/net); null means the current namespace.
   */
  public static NetlinkSocket openIn(int protocol, String netns) {
    String what = "netlink protocol " + protocol + (netns == null ? "" : " in netns " + netns);
    return configure(Netns.createIn(netns, what, () -> createSocket(protocol, what)), what);
  }

  private static int createSocket(int protocol, String what) {
    int s = LIBC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
    if (s < 0) {
      throw Errno.exception("socket", what, LastError.getLastError(RUNTIME), null);
    }
    return s;
  }

  private static NetlinkSocket configure(int s, String what) {
    try {
      bufferSize(s, SO_RCVBUFFORCE, SO_RCVBUF, 8 << 20, what);
      bufferSize(s, SO_SNDBUFFORCE, SO_SNDBUF, 4 << 20, what);
      // Errors carry only the header (CAP_ACK) plus the kernel's reason text (EXT_ACK); both are
      // best effort: old kernels lack them and the reply parser copes either way.
      setsockopt(s, SOL_NETLINK, NETLINK_CAP_ACK, intBytes(1));
      setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, intBytes(1));
      // A lost reply must not hang the agent forever.
      ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(30).putLong(0);
      setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, tv.array());
      byte[] addr = sockaddrNl(0);
      if (LIBC.bind(s, addr, SOCKADDR_NL_LEN) != 0) {
        throw Errno.exception("bind", what, LastError.getLastError(RUNTIME), null);
      }
      byte[] got = new byte[SOCKADDR_NL_LEN];
      int[] len = {SOCKADDR_NL_LEN};
      if (LIBC.getsockname(s, got, len) != 0) {
        throw Errno.exception("getsockname", what, LastError.getLastError(RUNTIME), null);
      }
      int pid = ByteBuffer.wrap(got).order(ByteOrder.nativeOrder()).getInt(4);
      return new NetlinkSocket(s, pid, what);
    } catch (RuntimeException e) {
      LIBC.close(s);
      throw e;
    }
  }

  private static void bufferSize(int s, int force, int plain, int bytes, String what) {
    // FORCE ignores net.core.[rw]mem_max but needs CAP_NET_ADMIN; fall back to the capped one.
    if (!setsockopt(s, SOL_SOCKET, force, intBytes(bytes))) {
      if (!setsockopt(s, SOL_SOCKET, plain, intBytes(bytes))) {
        throw Errno.exception("setsockopt buffer size", what, LastError.getLastError(RUNTIME), null);
      }
    }
  }

  private static boolean setsockopt(int s, int level, int name, byte[] value) {
    return LIBC.setsockopt(s, level, name, value, value.length) == 0;
  }

  private static byte[] intBytes(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
  }

  private static byte[] sockaddrNl(int pid) {
    ByteBuffer b = ByteBuffer.allocate(SOCKADDR_NL_LEN).order(ByteOrder.nativeOrder());
    b.putShort((short) AF_NETLINK).putShort((short) 0).putInt(pid).putInt(0);
    return b.array();
  }

  @Override
  public int portId() {
    return portId;
  }

  @Override
  public synchronized void send(ByteBuffer datagram) {
    ByteBuffer direct = datagram.isDirect() && datagram.position() == 0 ? datagram : copyToTx(datagram);
    int len = direct.limit();
    while (true) {
      long n = LIBC.sendto(fd, direct, len, 0, kernelAddress, SOCKADDR_NL_LEN);
      if (n >= 0) {
        if (n != len) {
          throw Errno.exception("sendto", description, Errno.EMSGSIZE, "short write " + n + " of " + len);
        }
        return;
      }
      int errno = LastError.getLastError(RUNTIME);
      if (errno != Errno.EINTR) {
        throw Errno.exception("sendto", description, errno, null);
      }
    }
  }

  private ByteBuffer copyToTx(ByteBuffer b) {
    if (tx.capacity() < b.remaining()) {
      tx = ByteBuffer.allocateDirect(Integer.highestOneBit(b.remaining() - 1) << 1);
    }
    tx.clear();
    tx.put(b.duplicate()).flip();
    return tx;
  }

  @Override
  public int receive(ByteBuffer into) {
    return receive(into, 0);
  }

  @Override
  public int receiveNow(ByteBuffer into) {
    return receive(into, MSG_DONTWAIT);
  }

  private int receive(ByteBuffer into, int extraFlags) {
    if (!into.isDirect()) {
      throw new IllegalArgumentException("receive needs a direct buffer");
    }
    byte[] from = new byte[SOCKADDR_NL_LEN];
    while (true) {
      int[] fromLen = {SOCKADDR_NL_LEN};
      long n = LIBC.recvfrom(fd, into, into.capacity(), MSG_TRUNC | extraFlags, from, fromLen);
      if (n < 0) {
        int errno = LastError.getLastError(RUNTIME);
        if (errno == Errno.EINTR) {
          continue;
        }
        if (errno == Errno.EAGAIN && (extraFlags & MSG_DONTWAIT) != 0) {
          return -1;
        }
        throw Errno.exception("recvfrom", description, errno, null);
      }
      if (n > into.capacity()) {
        throw Errno.exception("recvfrom", description, Errno.EMSGSIZE,
            "datagram of " + n + " bytes exceeds the " + into.capacity() + "-byte buffer");
      }
      int senderPid = ByteBuffer.wrap(from).order(ByteOrder.nativeOrder()).getInt(4);
      if (senderPid != 0) {
        continue; // only the kernel (port 0) answers us; anything else is not ours to read
      }
      into.clear().limit((int) n);
      return (int) n;
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      LIBC.close(fd);
    }
  }

  @Override
  public String toString() {
    return "NetlinkSocket[" + description + ", port " + portId + "]";
  }

}
