package io.lvs.agent.netlink;

/** Bytes from the kernel (or a test) that do not parse: bad lengths, truncation, wrong sizes. */
public class MalformedMessageException extends NetlinkException {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String what) {
    super("decode", "netlink message", Errno.EBADMSG, Errno.name(Errno.EBADMSG), what);
  }
}
