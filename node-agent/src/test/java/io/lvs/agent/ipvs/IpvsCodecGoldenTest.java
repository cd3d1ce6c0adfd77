package io.lvs.agent.ipvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.lvs.agent.netlink.AttrWriter;
import io.lvs.agent.netlink.Errno;
import io.lvs.agent.netlink.NetlinkConnection;
import io.lvs.agent.netlink.NetlinkException;
import io.lvs.agent.netlink.NlMessage;
import io.lvs.agent.netlink.ScriptedTransport;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * IPVS messages against byte layouts written by hand from include/uapi/linux/ip_vs.h (enums
 * IPVS_CMD_*, IPVS_CMD_ATTR_*, IPVS_SVC_ATTR_*, IPVS_DEST_ATTR_*, IPVS_STATS_ATTR_*, struct
 * ip_vs_flags) and linux/netlink.h / genetlink.h (x86-64: little endian), sent through the real
 * client over a scripted transport that plays the kernel (nlctrl answers family id 0x2a).
 */
class IpvsCodecGoldenTest {
  static final int IPVS_ID = ScriptedIpvsKernel.IPVS_ID;

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  /** Answers GETFAMILY with IPVS = 0x2a; every other request gets the errno it maps to (0 = ACK). */
  static ScriptedTransport kernel(java.util.function.ToIntFunction<NlMessage> errnoOf) {
    return new ScriptedTransport(msgs -> {
      List<byte[]> out = new ArrayList<>();
      for (NlMessage m : msgs) {
        if (m.type() == Genl.GENL_ID_CTRL) {
          out.add(ScriptedIpvsKernel.ipvsFamily(m));
        }
        out.add(ScriptedTransport.ack(m, m.type() == Genl.GENL_ID_CTRL ? 0 : -errnoOf.applyAsInt(m), null));
      }
      return List.of(ScriptedTransport.concat(out));
    });
  }

  @Test
  void newServiceTcpV4MatchesLayout() throws Exception {
    ScriptedTransport t = kernel(m -> 0);
    NetlinkIpvsClient c = new NetlinkIpvsClient(new NetlinkConnection(t));
    c.addService(new IpvsService(ServiceKey.of(IpProtocol.TCP, ip("198.18.0.100"), 80), "rr", 0, 0, 32));
    assertThat(t.sent.get(1)).isEqualTo(hex(
        // nlmsghdr {len=104, type=IPVS family 0x2a, flags=REQUEST|ACK, seq=2, pid=0}
        "68000000 2a00 0500 02000000 00000000"
            // genlmsghdr {cmd=IPVS_CMD_NEW_SERVICE(1), version=IP_VS_GENL_VERSION(1)}
            + "01010000"
            // IPVS_CMD_ATTR_SERVICE(1)|NLA_F_NESTED, len 84
            + "5400 0180"
            + "0600 0100 0200 0000" // IPVS_SVC_ATTR_AF u16 AF_INET=2
            + "0600 0200 0600 0000" // IPVS_SVC_ATTR_PROTOCOL u16 IPPROTO_TCP=6
            + "1400 0300 c6120064 00000000 00000000 00000000" // IPVS_SVC_ATTR_ADDR union nf_inet_addr
            + "0600 0400 0050 0000" // IPVS_SVC_ATTR_PORT __be16 80
            + "0700 0600 727200 00" // IPVS_SVC_ATTR_SCHED_NAME "rr\0"
            + "0c00 0700 00000000 ffffffff" // IPVS_SVC_ATTR_FLAGS struct ip_vs_flags {flags=0, mask=~0}
            + "0800 0800 00000000" // IPVS_SVC_ATTR_TIMEOUT u32 0
            + "0800 0900 ffffffff")); // IPVS_SVC_ATTR_NETMASK __be32 255.255.255.255
  }

  @Test
  void persistentV6ServiceCarriesFlagsTimeoutAndPrefixNetmask() throws Exception {
    AttrWriter w = new AttrWriter();
    IpvsCodec.writeService(w, ServiceKey.of(IpProtocol.UDP, ip("2001:db8::1"), 53),
        new IpvsService(ServiceKey.of(IpProtocol.UDP, ip("2001:db8::1"), 53), "sh",
            IpvsService.F_PERSISTENT | IpvsService.F_SCHED1 | IpvsService.F_HASHED, 300, 64));
    assertThat(w.toArray()).isEqualTo(hex("5400 0180"
        + "0600 0100 0a00 0000" // AF_INET6=10
        + "0600 0200 1100 0000" // IPPROTO_UDP=17
        + "1400 0300 20010db8 00000000 00000000 00000001"
        + "0600 0400 0035 0000" // port 53
        + "0700 0600 736800 00" // "sh"
        + "0c00 0700 09000000 ffffffff" // PERSISTENT|SCHED1; HASHED is the kernel's own and never sent
        + "0800 0800 2c010000" // 300 s
        + "0800 0900 40000000")); // IPv6: prefix length 64 as a plain u32 (ip_vs_ctl.c checks 1..128)
  }

  @Test
  void fwmarkServiceKeyIsFamilyAndMarkOnly() {
    AttrWriter w = new AttrWriter();
    IpvsCodec.writeService(w, ServiceKey.ofFwmark(Family.INET, 7), null);
    // AF u16 2, IPVS_SVC_ATTR_FWMARK(5) u32 7: no protocol, address or port
    assertThat(w.toArray()).isEqualTo(hex("1400 0180 0600 0100 0200 0000 0800 0500 07000000"));
  }

  @Test
  void newDestTunnelGueMatchesLayout() throws Exception {
    ServiceKey svc = ServiceKey.of(IpProtocol.TCP, ip("198.18.0.100"), 80);
    ScriptedTransport t = kernel(m -> 0);
    NetlinkIpvsClient c = new NetlinkIpvsClient(new NetlinkConnection(t));
    c.addDestination(svc, new Destination(new DestinationKey(ip("198.18.0.13"), 8080), ForwardMethod.TUNNEL, 2, 100,
        10, TunnelType.GUE, 6080, IpvsAttrs.IP_VS_TUNNEL_ENCAP_FLAG_CSUM));
    byte[] sent = t.sent.get(1);
    String body = HexFormat.of().formatHex(sent).substring(32); // after nlmsghdr
    assertThat(body).isEqualTo(HexFormat.of().formatHex(hex(
        "05010000" // IPVS_CMD_NEW_DEST(5)
            + "3000 0180" // service key only: AF, PROTOCOL, ADDR, PORT
            + "0600 0100 0200 0000" + "0600 0200 0600 0000" + "1400 0300 c6120064 00000000 00000000 00000000"
            + "0600 0400 0050 0000"
            + "6000 0280" // IPVS_CMD_ATTR_DEST(2)|NLA_F_NESTED, len 96
            + "1400 0100 c612000d 00000000 00000000 00000000" // IPVS_DEST_ATTR_ADDR
            + "0600 0200 1f90 0000" // IPVS_DEST_ATTR_PORT __be16 8080
            + "0600 0b00 0200 0000" // IPVS_DEST_ATTR_ADDR_FAMILY u16 AF_INET
            + "0800 0300 02000000" // IPVS_DEST_ATTR_FWD_METHOD IP_VS_CONN_F_TUNNEL=2
            + "0800 0400 02000000" // IPVS_DEST_ATTR_WEIGHT 2
            + "0800 0500 64000000" // IPVS_DEST_ATTR_U_THRESH 100
            + "0800 0600 0a000000" // IPVS_DEST_ATTR_L_THRESH 10
            + "0500 0d00 01 000000" // IPVS_DEST_ATTR_TUN_TYPE u8 IP_VS_CONN_F_TUNNEL_TYPE_GUE=1
            + "0600 0e00 17c0 0000" // IPVS_DEST_ATTR_TUN_PORT __be16 6080
            + "0600 0f00 0100 0000"))); // IPVS_DEST_ATTR_TUN_FLAGS u16 IP_VS_TUNNEL_ENCAP_FLAG_CSUM
    assertThat(ByteBuffer.wrap(sent).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0)).isEqualTo(sent.length);
  }

  @Test
  void dumpedServiceWithStats64AndHashedFlagDecodes() {
    // An IPVS_CMD_NEW_SERVICE reply as ip_vs_genl_fill_service builds it: the key, sched, flags
    // with HASHED, timeout, netmask, then STATS (u32 counters, u64 bytes) and STATS64 (all u64).
    byte[] msg = hex("00000000 2a00 0200 05000000 00000000" + "01010000"
        + "d400 0180"
        + "0600 0100 0200 0000" + "0600 0200 1100 0000" + "1400 0300 c6120064 00000000 00000000 00000000"
        + "0600 0400 0035 0000" + "0800 0600 77727200" + "0c00 0700 03000000 ffffffff"
        + "0800 0800 2c010000" + "0800 0900 ffffff00"
        + "2000 0a80" + "0800 0100 ffffffff" + "0800 0200 02000000" + "0c00 0400 0000000001000000" // STATS: 32-bit conns wrapped
        + "7000 0c80" // STATS64, 10 u64 counters
        + "0c00 0100 0000000001000000" // conns 2^32
        + "0c00 0200 0500000000000000" + "0c00 0300 0000000000000000" + "0c00 0400 0001000000000000"
        + "0c00 0500 0000000000000000" + "0c00 0600 0300000000000000" + "0c00 0700 0400000000000000"
        + "0c00 0800 0000000000000000" + "0c00 0900 1000000000000000");
    ByteBuffer b = ByteBuffer.wrap(msg).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, msg.length);
    b.putShort(20, (short) (msg.length - 20));
    IpvsCodec.DecodedService s = IpvsCodec.decodeService(NlMessage.parseAll(b).get(0));
    assertThat(s.service()).isEqualTo(new IpvsService(
        new ServiceKey(Family.INET, IpProtocol.UDP, addr("198.18.0.100"), 53, 0), "wrr", IpvsService.F_PERSISTENT, 300, 24));
    // STATS64 wins over the 32-bit STATS; OUTBPS (10) is absent and reads as 0
    assertThat(s.stats()).isEqualTo(new Stats(1L << 32, 5, 0, 256, 0, 3, 4, 0, 16, 0));
  }

  @Test
  void dumpedDestinationDecodesConnectionsAndFallsBackToStats32() {
    AttrWriter w = new AttrWriter();
    int s = w.beginMessage(IPVS_ID, 2, 9, 0);
    IpvsCodec.header(w, IpvsAttrs.IPVS_CMD_NEW_DEST);
    int n = w.beginNested(IpvsAttrs.IPVS_CMD_ATTR_DEST);
    w.putBytes(IpvsAttrs.IPVS_DEST_ATTR_ADDR, hex("20010db8000000000000000000000011"))
        .putBe16(IpvsAttrs.IPVS_DEST_ATTR_PORT, 443)
        .putU32(IpvsAttrs.IPVS_DEST_ATTR_FWD_METHOD, 3 | 0x0100) // DROUTE plus a non-method bit
        .putU32(IpvsAttrs.IPVS_DEST_ATTR_WEIGHT, 5).putU32(IpvsAttrs.IPVS_DEST_ATTR_U_THRESH, 0)
        .putU32(IpvsAttrs.IPVS_DEST_ATTR_L_THRESH, 0).putU32(IpvsAttrs.IPVS_DEST_ATTR_ACTIVE_CONNS, 7)
        .putU32(IpvsAttrs.IPVS_DEST_ATTR_INACT_CONNS, 8).putU32(IpvsAttrs.IPVS_DEST_ATTR_PERSIST_CONNS, 9)
        .putU16(IpvsAttrs.IPVS_DEST_ATTR_ADDR_FAMILY, 10);
    int st = w.beginNested(IpvsAttrs.IPVS_DEST_ATTR_STATS);
    w.putU32(IpvsAttrs.IPVS_STATS_ATTR_CONNS, 11).putU32(IpvsAttrs.IPVS_STATS_ATTR_INPKTS, 12)
        .putU64(IpvsAttrs.IPVS_STATS_ATTR_INBYTES, 13);
    w.endNested(st);
    w.endNested(n);
    w.endMessage(s);
    ObservedDestination d = IpvsCodec.decodeDestination(NlMessage.parseAll(w.toBuffer()).get(0), Family.INET6);
    assertThat(d.destination()).isEqualTo(Destination.of(new DestinationKey(addr("2001:db8::11"), 443),
        ForwardMethod.DROUTE, 5));
    assertThat(d.activeConnections()).isEqualTo(7);
    assertThat(d.inactiveConnections()).isEqualTo(8);
    assertThat(d.persistentConnections()).isEqualTo(9);
    assertThat(d.stats()).isEqualTo(new Stats(11, 12, 0, 13, 0, 0, 0, 0, 0, 0));
  }

  @Test
  void kernelErrorsNameOperationObjectAndErrno() throws Exception {
    ServiceKey svc = ServiceKey.of(IpProtocol.TCP, ip("198.18.0.100"), 80);
    NetlinkIpvsClient c = new NetlinkIpvsClient(new NetlinkConnection(kernel(m -> Errno.EEXIST)));
    assertThatThrownBy(() -> c.addDestination(svc, Destination.of(new DestinationKey(ip("198.18.0.11"), 80),
        ForwardMethod.MASQ, 1)))
        .isInstanceOf(NetlinkException.class)
        .hasMessage("add destination 198.18.0.11:80 to TCP 198.18.0.100:80: EEXIST");
  }

  /** ENOENT is how the kernel says it has no such scheduler: the message names it and its module. */
  @Test
  void anUnknownSchedulerIsNamedInTheErrorBatchedOrNot() throws Exception {
    ServiceKey svc = ServiceKey.of(IpProtocol.UDP, ip("198.18.0.100"), 53);
    NetlinkIpvsClient c = new NetlinkIpvsClient(new NetlinkConnection(kernel(m -> Errno.ENOENT)));
    String expected = "add service UDP 198.18.0.100:53: ENOENT: no scheduler \"twos\" in this kernel"
        + " (module ip_vs_twos is neither loaded nor loadable)";
    assertThatThrownBy(() -> c.addService(new IpvsService(svc, "twos", 0, 0, 32)))
        .isInstanceOfSatisfying(NetlinkException.class, e -> {
          assertThat(e).hasMessage(expected);
          assertThat(e.errnoName()).isEqualTo("ENOENT");
          assertThat(e.object()).isEqualTo("UDP 198.18.0.100:53");
        });
    List<Optional<NetlinkException>> r = c.execute(List.of(
        new IpvsCommand.UpdateService(new IpvsService(svc, "nosuch", 0, 0, 32)),
        new IpvsCommand.AddDestination(svc, Destination.of(new DestinationKey(ip("198.18.0.11"), 53), ForwardMethod.MASQ, 1))));
    assertThat(r.get(0)).get().extracting(Throwable::getMessage).isEqualTo("update service UDP 198.18.0.100:53: ENOENT:"
        + " no scheduler \"nosuch\" in this kernel (module ip_vs_nosuch is neither loaded nor loadable)");
    // ENOENT to anything else keeps its plain meaning
    assertThat(r.get(1)).get().extracting(Throwable::getMessage)
        .isEqualTo("add destination 198.18.0.11:53 to UDP 198.18.0.100:53: ENOENT");
  }

  @Test
  void batchGoesOutInOneDatagramAndReportsEachResult() throws Exception {
    ServiceKey svc = ServiceKey.of(IpProtocol.TCP, ip("198.18.0.100"), 80);
    // the kernel refuses the second destination (its port is 2) with ENOENT
    ScriptedTransport t = kernel(m -> m.payload().remaining() > 100
        && IpvsCodec.decodeDestinationAttrs(m.attrs(Genl.GENL_HDRLEN).nested(IpvsAttrs.IPVS_CMD_ATTR_DEST), Family.INET)
            .destination().key().port() == 2 ? Errno.ENOENT : 0);
    NetlinkIpvsClient c = new NetlinkIpvsClient(new NetlinkConnection(t));
    List<IpvsCommand> cmds = new ArrayList<>();
    cmds.add(new IpvsCommand.AddService(new IpvsService(svc, "rr", 0, 0, 32)));
    for (int p = 1; p <= 3; p++) {
      cmds.add(new IpvsCommand.AddDestination(svc, Destination.of(new DestinationKey(ip("198.18.0.11"), p),
          ForwardMethod.MASQ, 1)));
    }
    List<Optional<NetlinkException>> r = c.execute(cmds);
    assertThat(t.sent).hasSize(2); // GETFAMILY, then the whole batch in one datagram
    assertThat(NlMessage.parseAll(ByteBuffer.wrap(t.sent.get(1)))).hasSize(4);
    assertThat(r.get(0)).isEmpty();
    assertThat(r.get(1)).isEmpty();
    assertThat(r.get(2)).get().extracting(Throwable::getMessage)
        .isEqualTo("add destination 198.18.0.11:2 to TCP 198.18.0.100:80: ENOENT");
    assertThat(r.get(3)).isEmpty();
  }

  static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
