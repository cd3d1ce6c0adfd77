package io.lvs.agent.ipvs;

import static io.lvs.agent.ipvs.IpvsAttrs.*;

import io.lvs.agent.genl.Genl;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.Family;
import io.lvs.agent.model.ForwardMethod;
import io.lvs.agent.model.IpProtocol;
import io.lvs.agent.model.IpvsService;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import io.lvs.agent.model.TunnelType;
import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.MalformedMessageException;
import io.lvs.agent.netlink.NlMessage;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Encodes and decodes the IPVS generic netlink payloads (linux/ip_vs.h): pure functions between
 * the model records and attribute streams, so each layout is tested without a kernel. Layouts:
 * <pre>
 * genlmsghdr {cmd, version=1, 0}
 *   IPVS_CMD_ATTR_SERVICE (nested)
 *     AF u16 | PROTOCOL u16 + ADDR 16 bytes + PORT be16   or   FWMARK u32
 *     SCHED_NAME string, FLAGS {u32 flags, u32 mask}, TIMEOUT u32, NETMASK be32|prefix  (full entry)
 *   IPVS_CMD_ATTR_DEST (nested)
 *     ADDR 16 bytes, PORT be16, ADDR_FAMILY u16
 *     FWD_METHOD u32, WEIGHT u32, U_THRESH u32, L_THRESH u32, TUN_TYPE u8, TUN_PORT be16,
 *     TUN_FLAGS u16                                                                  (full entry)
 * </pre>
 */
public final class IpvsCodec {
  /** union nf_inet_addr is 16 bytes; ipvsadm (libipvs) always sends all of them. */
  static final int NF_INET_ADDR_LEN = 16;

  private IpvsCodec() {}

  /** The key attributes and, when {@code full}, the configurable ones (NEW/SET_SERVICE). */
  public static void writeService(AttrWriter w, ServiceKey key, IpvsService full) {
    int n = w.beginNested(IPVS_CMD_ATTR_SERVICE);
    w.putU16(IPVS_SVC_ATTR_AF, key.family().af());
    if (key.isFwmark()) {
      w.putU32(IPVS_SVC_ATTR_FWMARK, (int) key.fwmark());
    } else {
      w.putU16(IPVS_SVC_ATTR_PROTOCOL, key.protocol().number());
      w.putBytes(IPVS_SVC_ATTR_ADDR, addrBytes(key.address()));
      w.putBe16(IPVS_SVC_ATTR_PORT, key.port());
    }
    if (full != null) {
      w.putString(IPVS_SVC_ATTR_SCHED_NAME, full.scheduler());
      // mask ~0: every flag bit is set or cleared as given (the kernel keeps HASHED itself)
      w.putBytes(IPVS_SVC_ATTR_FLAGS, flagsBytes(full.flags() & ~IP_VS_SVC_F_HASHED, 0xffffffff));
      w.putU32(IPVS_SVC_ATTR_TIMEOUT, full.timeoutSeconds());
      w.putBytes(IPVS_SVC_ATTR_NETMASK, netmaskBytes(key.family(), full.netmaskPrefixLength()));
    }
    w.endNested(n);
  }

  /** The destination's key attributes and, when {@code full}, the configurable ones. */
  public static void writeDestination(AttrWriter w, DestinationKey key, Destination full) {
    int n = w.beginNested(IPVS_CMD_ATTR_DEST);
    w.putBytes(IPVS_DEST_ATTR_ADDR, addrBytes(key.address()));
    w.putBe16(IPVS_DEST_ATTR_PORT, key.port());
    w.putU16(IPVS_DEST_ATTR_ADDR_FAMILY, Family.of(key.address()).af());
    if (full != null) {
      w.putU32(IPVS_DEST_ATTR_FWD_METHOD, full.forwardMethod().value());
      w.putU32(IPVS_DEST_ATTR_WEIGHT, full.weight());
      w.putU32(IPVS_DEST_ATTR_U_THRESH, (int) full.upperThreshold());
      w.putU32(IPVS_DEST_ATTR_L_THRESH, (int) full.lowerThreshold());
      if (full.forwardMethod() == ForwardMethod.TUNNEL) {
        // kernels before 5.3 reject unknown attributes in strict mode; send tunnel ones only for TUN
        w.putU8(IPVS_DEST_ATTR_TUN_TYPE, full.tunnelType().value());
        w.putBe16(IPVS_DEST_ATTR_TUN_PORT, full.tunnelPort());
        w.putU16(IPVS_DEST_ATTR_TUN_FLAGS, full.tunnelFlags());
      }
    }
    w.endNested(n);
  }

  /** A whole generic netlink request body: genlmsghdr then the given attributes. */
  public static void header(AttrWriter w, int cmd) {
    Genl.header(w, cmd, IP_VS_GENL_VERSION);
  }

  /** Decodes an IPVS_CMD_NEW_SERVICE message of a GET_SERVICE dump. */
  public static DecodedService decodeService(NlMessage m) {
    AttrReader svc = m.attrs(Genl.GENL_HDRLEN).nested(IPVS_CMD_ATTR_SERVICE);
    return decodeServiceAttrs(svc);
  }

  public static DecodedService decodeServiceAttrs(AttrReader svc) {
    Family family = Family.ofAf(svc.u16(IPVS_SVC_ATTR_AF));
    ServiceKey key;
    long fwmark = svc.uintOr(IPVS_SVC_ATTR_FWMARK, 0);
    if (fwmark != 0) {
      key = ServiceKey.ofFwmark(family, fwmark);
    } else {
      key = new ServiceKey(family, IpProtocol.ofNumber(svc.u16(IPVS_SVC_ATTR_PROTOCOL)),
          address(family, svc.bytes(IPVS_SVC_ATTR_ADDR)), svc.be16(IPVS_SVC_ATTR_PORT), 0);
    }
    byte[] flags = svc.bytes(IPVS_SVC_ATTR_FLAGS);
    if (flags.length < 4) {
      throw new MalformedMessageException("IPVS_SVC_ATTR_FLAGS of " + flags.length + " bytes");
    }
    int f = java.nio.ByteBuffer.wrap(flags).order(java.nio.ByteOrder.nativeOrder()).getInt(0);
    IpvsService service = new IpvsService(key, svc.string(IPVS_SVC_ATTR_SCHED_NAME), f & ~IP_VS_SVC_F_HASHED,
        (int) svc.u32(IPVS_SVC_ATTR_TIMEOUT), netmaskPrefix(family, svc.bytes(IPVS_SVC_ATTR_NETMASK)));
    return new DecodedService(service, stats(svc, IPVS_SVC_ATTR_STATS64, IPVS_SVC_ATTR_STATS));
  }

  /** A service as a dump reports it, with its counters. */
  public record DecodedService(IpvsService service, Stats stats) {}

  /** Decodes an IPVS_CMD_NEW_DEST message of a GET_DEST dump of a service of {@code family}. */
  public static ObservedDestination decodeDestination(NlMessage m, Family serviceFamily) {
    return decodeDestinationAttrs(m.attrs(Genl.GENL_HDRLEN).nested(IPVS_CMD_ATTR_DEST), serviceFamily);
  }

  public static ObservedDestination decodeDestinationAttrs(AttrReader d, Family serviceFamily) {
    Family family = d.has(IPVS_DEST_ATTR_ADDR_FAMILY) ? Family.ofAf(d.u16(IPVS_DEST_ATTR_ADDR_FAMILY)) : serviceFamily;
    DestinationKey key = new DestinationKey(address(family, d.bytes(IPVS_DEST_ATTR_ADDR)), d.be16(IPVS_DEST_ATTR_PORT));
    int fwd = (int) d.u32(IPVS_DEST_ATTR_FWD_METHOD) & 0x7; // IP_VS_CONN_F_FWD_MASK
    Destination dest = new Destination(key, ForwardMethod.ofValue(fwd), (int) d.u32(IPVS_DEST_ATTR_WEIGHT),
        d.u32(IPVS_DEST_ATTR_U_THRESH), d.u32(IPVS_DEST_ATTR_L_THRESH),
        TunnelType.ofValue((int) d.uintOr(IPVS_DEST_ATTR_TUN_TYPE, 0)),
        d.has(IPVS_DEST_ATTR_TUN_PORT) ? d.be16(IPVS_DEST_ATTR_TUN_PORT) : 0,
        (int) d.uintOr(IPVS_DEST_ATTR_TUN_FLAGS, 0));
    return new ObservedDestination(dest, d.uintOr(IPVS_DEST_ATTR_ACTIVE_CONNS, 0),
        d.uintOr(IPVS_DEST_ATTR_INACT_CONNS, 0), d.uintOr(IPVS_DEST_ATTR_PERSIST_CONNS, 0),
        stats(d, IPVS_DEST_ATTR_STATS64, IPVS_DEST_ATTR_STATS));
  }

  /** Writes a stats nest (for tests that play the kernel): u64 counters, as in STATS64. */
  public static void writeStats64(AttrWriter w, int type, Stats s) {
    int n = w.beginNested(type);
    w.putU64(IPVS_STATS_ATTR_CONNS, s.connections()).putU64(IPVS_STATS_ATTR_INPKTS, s.inPackets())
        .putU64(IPVS_STATS_ATTR_OUTPKTS, s.outPackets()).putU64(IPVS_STATS_ATTR_INBYTES, s.inBytes())
        .putU64(IPVS_STATS_ATTR_OUTBYTES, s.outBytes()).putU64(IPVS_STATS_ATTR_CPS, s.cps())
        .putU64(IPVS_STATS_ATTR_INPPS, s.inPps()).putU64(IPVS_STATS_ATTR_OUTPPS, s.outPps())
        .putU64(IPVS_STATS_ATTR_INBPS, s.inBps()).putU64(IPVS_STATS_ATTR_OUTBPS, s.outBps());
    w.endNested(n);
  }

  /** STATS64 (kernel 4.1+) when present, else the 32-bit STATS, else zeros. */
  static Stats stats(AttrReader parent, int stats64, int stats32) {
    int type = parent.has(stats64) ? stats64 : stats32;
    if (!parent.has(type)) {
      return Stats.ZERO;
    }
    AttrReader s = parent.nested(type);
    return new Stats(s.uintOr(IPVS_STATS_ATTR_CONNS, 0), s.uintOr(IPVS_STATS_ATTR_INPKTS, 0),
        s.uintOr(IPVS_STATS_ATTR_OUTPKTS, 0), s.uintOr(IPVS_STATS_ATTR_INBYTES, 0),
        s.uintOr(IPVS_STATS_ATTR_OUTBYTES, 0), s.uintOr(IPVS_STATS_ATTR_CPS, 0),
        s.uintOr(IPVS_STATS_ATTR_INPPS, 0), s.uintOr(IPVS_STATS_ATTR_OUTPPS, 0),
        s.uintOr(IPVS_STATS_ATTR_INBPS, 0), s.uintOr(IPVS_STATS_ATTR_OUTBPS, 0));
  }

  static byte[] addrBytes(InetAddress a) {
    return Arrays.copyOf(a.getAddress(), NF_INET_ADDR_LEN);
  }

  static InetAddress address(Family family, byte[] raw) {
    int len = family == Family.INET ? 4 : 16;
    if (raw.length < len) {
      throw new MalformedMessageException("address of " + raw.length + " bytes for " + family);
    }
    try {
      return InetAddress.getByAddress(Arrays.copyOf(raw, len));
    } catch (UnknownHostException e) {
      throw new MalformedMessageException("address bytes " + Arrays.toString(raw));
    }
  }

  static byte[] flagsBytes(int flags, int mask) {
    return java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder()).putInt(flags).putInt(mask).array();
  }

  /**
   * IPv4: the mask as __be32 (prefix 24 = ff ff ff 00); IPv6: the prefix length itself, which
   * the kernel keeps in the same __be32 field as a plain number (ip_vs_ctl.c checks 1..128), in
   * host order as libipvs sends it.
   */
  static byte[] netmaskBytes(Family family, int prefix) {
    if (family == Family.INET) {
      if (prefix < 0 || prefix > 32) {
        throw new IllegalArgumentException("IPv4 netmask prefix " + prefix);
      }
      int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
      return java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.BIG_ENDIAN).putInt(mask).array();
    }
    if (prefix < 0 || prefix > 128) {
      throw new IllegalArgumentException("IPv6 netmask prefix " + prefix);
    }
    return java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(prefix).array();
  }

  static int netmaskPrefix(Family family, byte[] raw) {
    if (raw.length < 4) {
      throw new MalformedMessageException("IPVS_SVC_ATTR_NETMASK of " + raw.length + " bytes");
    }
    if (family == Family.INET6) {
      return java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.nativeOrder()).getInt(0);
    }
    int mask = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.BIG_ENDIAN).getInt(0);
    int prefix = Integer.bitCount(mask);
    if (mask != (prefix == 0 ? 0 : -1 << (32 - prefix))) {
      throw new MalformedMessageException("IPv4 netmask " + Integer.toHexString(mask) + " is not contiguous");
    }
    return prefix;
  }
}
