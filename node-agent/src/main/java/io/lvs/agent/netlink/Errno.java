package io.lvs.agent.netlink;

import java.util.Map;

/**
 * The Linux x86-64/arm64 errno values netlink callers meet, with their names and strerror text,
 * so errors read "EEXIST (File exists)" instead of "-17".
 */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EACCES = 13;
  public static final int EFAULT = 14;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int ENOSPC = 28;
  public static final int ERANGE = 34;
  public static final int ENOTSUP = 95;
  public static final int EOPNOTSUPP = 95;
  public static final int ENOPROTOOPT = 92;
  public static final int EPROTONOSUPPORT = 93;
  public static final int EAFNOSUPPORT = 97;
  public static final int EADDRINUSE = 98;
  public static final int EADDRNOTAVAIL = 99;
  public static final int ENOBUFS = 105;
  public static final int EMSGSIZE = 90;
  public static final int EBADMSG = 74;
  public static final int EPROTO = 71;
  public static final int ETIMEDOUT = 110;

  private static final Map<Integer, String[]> TABLE =
      Map.ofEntries(
          Map.entry(EPERM, new String[] {"EPERM", "Operation not permitted"}),
          Map.entry(ENOENT, new String[] {"ENOENT", "No such file or directory"}),
          Map.entry(ESRCH, new String[] {"ESRCH", "No such process"}),
          Map.entry(EINTR, new String[] {"EINTR", "Interrupted system call"}),
          Map.entry(EIO, new String[] {"EIO", "Input/output error"}),
          Map.entry(EBADF, new String[] {"EBADF", "Bad file descriptor"}),
          Map.entry(EAGAIN, new String[] {"EAGAIN", "Resource temporarily unavailable"}),
          Map.entry(ENOMEM, new String[] {"ENOMEM", "Cannot allocate memory"}),
          Map.entry(EACCES, new String[] {"EACCES", "Permission denied"}),
          Map.entry(EFAULT, new String[] {"EFAULT", "Bad address"}),
          Map.entry(EBUSY, new String[] {"EBUSY", "Device or resource busy"}),
          Map.entry(EEXIST, new String[] {"EEXIST", "File exists"}),
          Map.entry(ENODEV, new String[] {"ENODEV", "No such device"}),
          Map.entry(EINVAL, new String[] {"EINVAL", "Invalid argument"}),
          Map.entry(ENOSPC, new String[] {"ENOSPC", "No space left on device"}),
          Map.entry(ERANGE, new String[] {"ERANGE", "Numerical result out of range"}),
          Map.entry(EOPNOTSUPP, new String[] {"EOPNOTSUPP", "Operation not supported"}),
          Map.entry(ENOPROTOOPT, new String[] {"ENOPROTOOPT", "Protocol not available"}),
          Map.entry(EPROTONOSUPPORT, new String[] {"EPROTONOSUPPORT", "Protocol not supported"}),
          Map.entry(EAFNOSUPPORT, new String[] {"EAFNOSUPPORT", "Address family not supported by protocol"}),
          Map.entry(EADDRINUSE, new String[] {"EADDRINUSE", "Address already in use"}),
          Map.entry(EADDRNOTAVAIL, new String[] {"EADDRNOTAVAIL", "Cannot assign requested address"}),
          Map.entry(ENOBUFS, new String[] {"ENOBUFS", "No buffer space available"}),
          Map.entry(EMSGSIZE, new String[] {"EMSGSIZE", "Message too long"}),
          Map.entry(EBADMSG, new String[] {"EBADMSG", "Bad message"}),
          Map.entry(EPROTO, new String[] {"EPROTO", "Protocol error"}),
          Map.entry(ETIMEDOUT, new String[] {"ETIMEDOUT", "Connection timed out"}));

  private Errno() {}

  /** "EEXIST", or "errno 123" for a value outside the table. */
  public static String name(int errno) {
    String[] e = TABLE.get(Math.abs(errno));
    return e == null ? "errno " + Math.abs(errno) : e[0];
  }

  /** "EEXIST (File exists)": what NetlinkException shows. */
  public static String describe(int errno) {
    String[] e = TABLE.get(Math.abs(errno));
    return e == null ? "errno " + Math.abs(errno) : e[0] + " (" + e[1] + ")";
  }

  /**
   * An exception for a refused request; errno may be given negative as the kernel sends it. The
   * errno name is the bare "EEXIST" (callers switch on it); extack is the kernel's text or null.
   */
  public static NetlinkException exception(String operation, String object, int errno, String extack) {
    int e = Math.abs(errno);
    return new NetlinkException(operation, object, e, name(e), extack);
  }
}
