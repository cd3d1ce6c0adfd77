package io.lvs.agent.genl;

import io.lvs.agent.netlink.NetlinkConnection;
import io.lvs.agent.netlink.NlMessage;
import io.lvs.agent.netlink.NlRequest;
import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.MalformedMessageException;
import java.util.List;

/**
 * A generic netlink family as the controller reports it (CTRL_CMD_GETFAMILY): its dynamic id
 * (the nlmsg_type of its messages), version and highest attribute.
 */
public record GenlFamily(String name, int id, int version, int maxAttr) {
  /**
   * Asks the controller for the family by name, e.g. "IPVS". A missing family (module not
   * loaded) is a NetlinkException with ENOENT.
   */
  public static GenlFamily resolve(NetlinkConnection conn, String name) {
    List<NlMessage> replies = conn.request(new NlRequest("resolve generic netlink family", name,
        Genl.GENL_ID_CTRL, 0, w -> {
          Genl.header(w, Genl.CTRL_CMD_GETFAMILY, 1);
          w.putString(Genl.CTRL_ATTR_FAMILY_NAME, name);
        }));
    if (replies.isEmpty()) {
      throw new MalformedMessageException("no CTRL_CMD_NEWFAMILY reply for " + name);
    }
    return parse(replies.get(0));
  }

  static GenlFamily parse(NlMessage m) {
    AttrReader a = m.attrs(Genl.GENL_HDRLEN);
    return new GenlFamily(a.string(Genl.CTRL_ATTR_FAMILY_NAME), a.u16(Genl.CTRL_ATTR_FAMILY_ID),
        (int) a.uintOr(Genl.CTRL_ATTR_VERSION, 0), (int) a.uintOr(Genl.CTRL_ATTR_MAXATTR, 0));
  }
}
