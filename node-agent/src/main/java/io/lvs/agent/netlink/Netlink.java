package io.lvs.agent.netlink;

/**
 * Constants of linux/netlink.h under the kernel's own names, so they grep against the header.
 * Layouts: struct nlmsghdr {u32 len; u16 type; u16 flags; u32 seq; u32 pid} (16 bytes), struct
 * nlattr {u16 len; u16 type} (4 bytes), struct nlmsgerr {int error; struct nlmsghdr msg}.
 */
public final class Netlink {
  public static final int NLMSG_ALIGNTO = 4;
  public static final int NLMSG_HDRLEN = 16;
  public static final int NLA_HDRLEN = 4;

  public static final int NLMSG_NOOP = 1;
  public static final int NLMSG_ERROR = 2;
  public static final int NLMSG_DONE = 3;
  public static final int NLMSG_OVERRUN = 4;
  /** Types below this are netlink's own control messages. */
  public static final int NLMSG_MIN_TYPE = 0x10;

  public static final int NLM_F_REQUEST = 0x01;
  public static final int NLM_F_MULTI = 0x02;
  public static final int NLM_F_ACK = 0x04;
  public static final int NLM_F_ECHO = 0x08;
  public static final int NLM_F_DUMP_INTR = 0x10;
  public static final int NLM_F_DUMP_FILTERED = 0x20;
  public static final int NLM_F_ROOT = 0x100;
  public static final int NLM_F_MATCH = 0x200;
  public static final int NLM_F_ATOMIC = 0x400;
  public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
  public static final int NLM_F_REPLACE = 0x100;
  public static final int NLM_F_EXCL = 0x200;
  public static final int NLM_F_CREATE = 0x400;
  public static final int NLM_F_APPEND = 0x800;
  /** Flags on an NLMSG_ERROR: the request payload was left out / TLVs follow. */
  public static final int NLM_F_CAPPED = 0x100;
  public static final int NLM_F_ACK_TLVS = 0x200;

  /** enum nlmsgerr_attrs. */
  public static final int NLMSGERR_ATTR_MSG = 1;
  public static final int NLMSGERR_ATTR_OFFS = 2;
  public static final int NLMSGERR_ATTR_COOKIE = 3;

  public static final int NLA_F_NESTED = 0x8000;
  public static final int NLA_F_NET_BYTEORDER = 0x4000;
  public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

  private Netlink() {}

  /** NLMSG_ALIGN / NLA_ALIGN: both round up to 4. */
  public static int align(int len) {
    return (len + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
  }
}
