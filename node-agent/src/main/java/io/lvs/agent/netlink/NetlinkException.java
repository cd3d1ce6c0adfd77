package io.lvs.agent.netlink;

/**
 * A netlink request the kernel refused, or that could not be sent: the message names the
 * operation, the object and errno's name, e.g. "add destination 198.18.0.11:80 to TCP
 * 198.18.0.100:80: EEXIST (File exists)".
 */
public class NetlinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String operation;
  private final String object;
  private final int errno;
  private final String errnoName;
  private final String extack;

  public NetlinkException(String operation, String object, int errno, String errnoName, String extack) {
    this(message(operation, object, errno, errnoName, extack), operation, object, errno, errnoName, extack);
  }

  private NetlinkException(String message, String operation, String object, int errno, String errnoName, String extack) {
    super(message);
    this.operation = operation;
    this.object = object;
    this.errno = errno;
    this.errnoName = errnoName;
    this.extack = extack;
  }

  /**
   * The same refusal with what the errno means for this request appended ("...: ENOENT: no
   * scheduler ..."): a bare errno name is not enough for a user reading it in status.
   */
  public NetlinkException explained(String meaning) {
    return new NetlinkException(getMessage() + ": " + meaning, operation, object, errno, errnoName, extack);
  }

  private static String message(String op, String obj, int errno, String name, String extack) {
    StringBuilder b = new StringBuilder(op);
    if (obj != null && !obj.isEmpty()) {
      b.append(' ').append(obj);
    }
    b.append(": ").append(name == null ? "errno " + errno : name);
    if (extack != null && !extack.isEmpty()) {
      b.append(" (").append(extack).append(')');
    }
    return b.toString();
  }

  public String operation() {
    return operation;
  }

  public String object() {
    return object;
  }

  /** Positive errno value (EEXIST = 17). */
  public int errno() {
    return errno;
  }

  public String errnoName() {
    return errnoName;
  }

  public String extack() {
    return extack;
  }
}
