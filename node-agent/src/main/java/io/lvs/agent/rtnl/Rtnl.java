package io.lvs.agent.rtnl;

/**
 * Constants of linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h and linux/if.h under the
 * kernel's names. Layouts: struct ifinfomsg {u8 family; u8 pad; u16 type; s32 index; u32 flags;
 * u32 change} (16 bytes); struct ifaddrmsg {u8 family; u8 prefixlen; u8 flags; u8 scope; u32
 * index} (8 bytes).
 */
public final class Rtnl {
  public static final int RTM_NEWLINK = 16;
  public static final int RTM_DELLINK = 17;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_DELADDR = 21;
  public static final int RTM_GETADDR = 22;

  public static final int IFINFOMSG_LEN = 16;
  public static final int IFADDRMSG_LEN = 8;

  public static final int IFLA_ADDRESS = 1;
  public static final int IFLA_IFNAME = 3;
  public static final int IFLA_LINKINFO = 18;
  public static final int IFLA_INFO_KIND = 1;
  public static final int IFLA_INFO_DATA = 2;

  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;
  public static final int IFA_LABEL = 3;
  public static final int IFA_FLAGS = 8;
  /** IFA_F_NODAD: a VIP needs no duplicate address detection (it is shared on purpose). */
  public static final int IFA_F_NODAD = 0x02;

  public static final int IFF_UP = 0x1;
  public static final int RT_SCOPE_UNIVERSE = 0;
  public static final int AF_UNSPEC = 0;

  private Rtnl() {}
}
