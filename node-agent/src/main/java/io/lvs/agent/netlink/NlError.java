package io.lvs.agent.netlink;

import java.nio.ByteBuffer;

/**
 * The payload of NLMSG_ERROR (struct nlmsgerr: int error, then the request's nlmsghdr, then the
 * request's payload unless NLM_F_CAPPED, then extack TLVs if NLM_F_ACK_TLVS) or of NLMSG_DONE (int
 * error, then TLVs). error is 0 for an ACK, else minus errno; the seq of the request it answers is
 * read from the echoed header.
 */
public record NlError(int error, int requestSeq, String extack) {
  public boolean isAck() {
    return error == 0;
  }

  public static NlError parse(NlMessage m) {
    ByteBuffer p = m.payload();
    if (m.type() == Netlink.NLMSG_DONE) {
      if (p.remaining() < 4) {
        return new NlError(0, m.seq(), null); // old kernels send an empty DONE
      }
      int error = p.getInt(0);
      String ext = m.hasFlag(Netlink.NLM_F_ACK_TLVS) ? extack(p, 4) : null;
      return new NlError(error, m.seq(), ext);
    }
    if (p.remaining() < 4 + Netlink.NLMSG_HDRLEN) {
      throw new MalformedMessageException("NLMSG_ERROR payload of " + p.remaining() + " bytes");
    }
    int error = p.getInt(0);
    int origLen = p.getInt(4);
    int origSeq = p.getInt(12);
    String ext = null;
    if (m.hasFlag(Netlink.NLM_F_ACK_TLVS)) {
      int tlvStart = 4 + (m.hasFlag(Netlink.NLM_F_CAPPED) ? Netlink.NLMSG_HDRLEN : Netlink.align(origLen));
      if (tlvStart > p.remaining()) {
        throw new MalformedMessageException("NLMSG_ERROR extack offset " + tlvStart + " past " + p.remaining());
      }
      ext = extack(p, tlvStart);
    }
    return new NlError(error, origSeq, ext);
  }

  private static String extack(ByteBuffer p, int from) {
    AttrReader tlvs = AttrReader.parse(p.duplicate().position(from));
    return tlvs.has(Netlink.NLMSGERR_ATTR_MSG) ? tlvs.string(Netlink.NLMSGERR_ATTR_MSG) : null;
  }
}
