package io.lvs.agent.ipvs;

/**
 * Constants of include/uapi/linux/ip_vs.h under the kernel's own names, so they grep against the
 * header. Attribute payload types are the kernel's policies (net/netfilter/ipvs/ip_vs_ctl.c
 * ip_vs_svc_policy / ip_vs_dest_policy / ip_vs_daemon_policy).
 */
public final class IpvsAttrs {
  public static final String IP_VS_GENL_NAME = "IPVS";
  public static final int IP_VS_GENL_VERSION = 0x1;
  /** IP_VS_SCHEDNAME_MAXLEN and IP_VS_IFNAME_MAXLEN, both including the NUL. */
  public static final int IP_VS_SCHEDNAME_MAXLEN = 16;
  public static final int IP_VS_IFNAME_MAXLEN = 16;

  // enum IPVS_CMD_*
  public static final int IPVS_CMD_UNSPEC = 0;
  public static final int IPVS_CMD_NEW_SERVICE = 1;
  public static final int IPVS_CMD_SET_SERVICE = 2;
  public static final int IPVS_CMD_DEL_SERVICE = 3;
  public static final int IPVS_CMD_GET_SERVICE = 4;
  public static final int IPVS_CMD_NEW_DEST = 5;
  public static final int IPVS_CMD_SET_DEST = 6;
  public static final int IPVS_CMD_DEL_DEST = 7;
  public static final int IPVS_CMD_GET_DEST = 8;
  public static final int IPVS_CMD_NEW_DAEMON = 9;
  public static final int IPVS_CMD_DEL_DAEMON = 10;
  public static final int IPVS_CMD_GET_DAEMON = 11;
  public static final int IPVS_CMD_SET_CONFIG = 12;
  public static final int IPVS_CMD_GET_CONFIG = 13;
  public static final int IPVS_CMD_SET_INFO = 14;
  public static final int IPVS_CMD_GET_INFO = 15;
  public static final int IPVS_CMD_ZERO = 16;
  public static final int IPVS_CMD_FLUSH = 17;

  // enum IPVS_CMD_ATTR_*
  public static final int IPVS_CMD_ATTR_SERVICE = 1;
  public static final int IPVS_CMD_ATTR_DEST = 2;
  public static final int IPVS_CMD_ATTR_DAEMON = 3;
  public static final int IPVS_CMD_ATTR_TIMEOUT_TCP = 4;
  public static final int IPVS_CMD_ATTR_TIMEOUT_TCP_FIN = 5;
  public static final int IPVS_CMD_ATTR_TIMEOUT_UDP = 6;

  // enum IPVS_SVC_ATTR_*
  public static final int IPVS_SVC_ATTR_AF = 1; // u16
  public static final int IPVS_SVC_ATTR_PROTOCOL = 2; // u16
  public static final int IPVS_SVC_ATTR_ADDR = 3; // union nf_inet_addr, 16 bytes
  public static final int IPVS_SVC_ATTR_PORT = 4; // __be16
  public static final int IPVS_SVC_ATTR_FWMARK = 5; // u32
  public static final int IPVS_SVC_ATTR_SCHED_NAME = 6; // NUL string
  public static final int IPVS_SVC_ATTR_FLAGS = 7; // struct ip_vs_flags {u32 flags; u32 mask}
  public static final int IPVS_SVC_ATTR_TIMEOUT = 8; // u32 seconds
  public static final int IPVS_SVC_ATTR_NETMASK = 9; // __be32 mask (IPv4) or prefix length (IPv6)
  public static final int IPVS_SVC_ATTR_STATS = 10; // nested IPVS_STATS_ATTR_*, 32-bit counters
  public static final int IPVS_SVC_ATTR_PE_NAME = 11; // NUL string
  public static final int IPVS_SVC_ATTR_STATS64 = 12; // nested IPVS_STATS_ATTR_*, u64

  // enum IPVS_DEST_ATTR_*
  public static final int IPVS_DEST_ATTR_ADDR = 1; // union nf_inet_addr
  public static final int IPVS_DEST_ATTR_PORT = 2; // __be16
  public static final int IPVS_DEST_ATTR_FWD_METHOD = 3; // u32
  public static final int IPVS_DEST_ATTR_WEIGHT = 4; // u32
  public static final int IPVS_DEST_ATTR_U_THRESH = 5; // u32
  public static final int IPVS_DEST_ATTR_L_THRESH = 6; // u32
  public static final int IPVS_DEST_ATTR_ACTIVE_CONNS = 7; // u32
  public static final int IPVS_DEST_ATTR_INACT_CONNS = 8; // u32
  public static final int IPVS_DEST_ATTR_PERSIST_CONNS = 9; // u32
  public static final int IPVS_DEST_ATTR_STATS = 10;
  public static final int IPVS_DEST_ATTR_ADDR_FAMILY = 11; // u16
  public static final int IPVS_DEST_ATTR_STATS64 = 12;
  public static final int IPVS_DEST_ATTR_TUN_TYPE = 13; // u8
  public static final int IPVS_DEST_ATTR_TUN_PORT = 14; // __be16
  public static final int IPVS_DEST_ATTR_TUN_FLAGS = 15; // u16

  // enum IPVS_DAEMON_ATTR_*
  public static final int IPVS_DAEMON_ATTR_STATE = 1; // u32
  public static final int IPVS_DAEMON_ATTR_MCAST_IFN = 2; // NUL string
  public static final int IPVS_DAEMON_ATTR_SYNC_ID = 3; // u32
  public static final int IPVS_DAEMON_ATTR_SYNC_MAXLEN = 4;
  public static final int IPVS_DAEMON_ATTR_MCAST_GROUP = 5;
  public static final int IPVS_DAEMON_ATTR_MCAST_GROUP6 = 6;
  public static final int IPVS_DAEMON_ATTR_MCAST_PORT = 7;
  public static final int IPVS_DAEMON_ATTR_MCAST_TTL = 8;

  // enum IPVS_STATS_ATTR_*
  public static final int IPVS_STATS_ATTR_CONNS = 1;
  public static final int IPVS_STATS_ATTR_INPKTS = 2;
  public static final int IPVS_STATS_ATTR_OUTPKTS = 3;
  public static final int IPVS_STATS_ATTR_INBYTES = 4;
  public static final int IPVS_STATS_ATTR_OUTBYTES = 5;
  public static final int IPVS_STATS_ATTR_CPS = 6;
  public static final int IPVS_STATS_ATTR_INPPS = 7;
  public static final int IPVS_STATS_ATTR_OUTPPS = 8;
  public static final int IPVS_STATS_ATTR_INBPS = 9;
  public static final int IPVS_STATS_ATTR_OUTBPS = 10;
  public static final int IPVS_STATS_ATTR_PAD = 11;

  // enum IPVS_INFO_ATTR_*
  public static final int IPVS_INFO_ATTR_VERSION = 1; // u32
  public static final int IPVS_INFO_ATTR_CONN_TAB_SIZE = 2; // u32

  // IP_VS_SVC_F_*
  public static final int IP_VS_SVC_F_PERSISTENT = 0x0001;
  public static final int IP_VS_SVC_F_HASHED = 0x0002;
  public static final int IP_VS_SVC_F_ONEPACKET = 0x0004;
  public static final int IP_VS_SVC_F_SCHED1 = 0x0008;
  public static final int IP_VS_SVC_F_SCHED2 = 0x0010;
  public static final int IP_VS_SVC_F_SCHED3 = 0x0020;

  // IP_VS_TUNNEL_ENCAP_FLAG_*
  public static final int IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM = 0;
  public static final int IP_VS_TUNNEL_ENCAP_FLAG_CSUM = 1;
  public static final int IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM = 1 << 1;

  private IpvsAttrs() {}
}
