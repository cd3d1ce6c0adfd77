package io.lvs.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One netlink message: the struct nlmsghdr fields and its payload (everything after the 16-byte
 * header, up to nlmsg_len). {@link #parseAll} splits a datagram strictly.
 */
public record NlMessage(int type, int flags, int seq, int portId, ByteBuffer payload) {
  public NlMessage {
    payload = payload.slice().order(ByteOrder.nativeOrder());
  }

  public boolean hasFlag(int flag) {
    return (flags & flag) != 0;
  }

  /** Splits a datagram (position..limit) into messages; a bad nlmsg_len is an error. */
  public static List<NlMessage> parseAll(ByteBuffer datagram) {
    ByteBuffer b = datagram.slice().order(ByteOrder.nativeOrder());
    List<NlMessage> out = new ArrayList<>();
    int pos = 0;
    int end = b.limit();
    while (pos < end) {
      if (end - pos < Netlink.NLMSG_HDRLEN) {
        throw new MalformedMessageException((end - pos) + " trailing bytes after netlink messages");
      }
      int len = b.getInt(pos);
      if (len < Netlink.NLMSG_HDRLEN || len > end - pos) {
        throw new MalformedMessageException("nlmsg_len " + Integer.toUnsignedString(len)
            + " at offset " + pos + " with " + (end - pos) + " bytes left");
      }
      int type = Short.toUnsignedInt(b.getShort(pos + 4));
      int flags = Short.toUnsignedInt(b.getShort(pos + 6));
      int seq = b.getInt(pos + 8);
      int pid = b.getInt(pos + 12);
      ByteBuffer payload = b.duplicate().position(pos + Netlink.NLMSG_HDRLEN).limit(pos + len);
      out.add(new NlMessage(type, flags, seq, pid, payload));
      pos = Math.min(end, pos + Netlink.align(len));
    }
    return out;
  }

  /** The payload after a fixed family header of {@code headerLen} bytes, parsed as attributes. */
  public AttrReader attrs(int headerLen) {
    if (payload.remaining() < headerLen) {
      throw new MalformedMessageException("message type " + type + " payload of " + payload.remaining()
          + " bytes is shorter than its " + headerLen + "-byte header");
    }
    return AttrReader.parse(payload.duplicate().position(Math.min(Netlink.align(headerLen), payload.remaining())));
  }
}
