package io.lvs.agent.genl;

import io.lvs.agent.netlink.AttrWriter;

/**
 * linux/genetlink.h under the kernel's names. struct genlmsghdr {u8 cmd; u8 version; u16
 * reserved} (GENL_HDRLEN = 4) follows the nlmsghdr of every generic netlink message.
 */
public final class Genl {
  public static final int GENL_HDRLEN = 4;
  public static final int GENL_ID_CTRL = 0x10;

  public static final int CTRL_CMD_UNSPEC = 0;
  public static final int CTRL_CMD_NEWFAMILY = 1;
  public static final int CTRL_CMD_DELFAMILY = 2;
  public static final int CTRL_CMD_GETFAMILY = 3;

  public static final int CTRL_ATTR_UNSPEC = 0;
  public static final int CTRL_ATTR_FAMILY_ID = 1;
  public static final int CTRL_ATTR_FAMILY_NAME = 2;
  public static final int CTRL_ATTR_VERSION = 3;
  public static final int CTRL_ATTR_HDRSIZE = 4;
  public static final int CTRL_ATTR_MAXATTR = 5;

  private Genl() {}

  /** Writes struct genlmsghdr. */
  public static void header(AttrWriter w, int cmd, int version) {
    w.u8(cmd).u8(version).u16(0);
  }
}
