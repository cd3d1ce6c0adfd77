package io.lvs.agent.fake;

import io.lvs.agent.netlink.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * Errors a test asks the fake kernel to return: the next calls of one operation on one object
 * fail with an errno, as the real kernel would refuse them (ENOMEM, EPERM, ...).
 */
public final class Faults {
  private record Fault(String operation, String object, int errno) {}

  private final List<Fault> faults = new ArrayList<>();

  /** Every later {@code operation} on {@code object} (e.g. "add service", "TCP 198.18.0.100:80") fails. */
  public void fail(String operation, String object, int errno) {
    faults.add(new Fault(operation, object, errno));
  }

  public void clear() {
    faults.clear();
  }

  void check(String operation, String object) {
    for (Fault f : faults) {
      if (f.operation.equals(operation) && f.object.equals(object)) {
        throw Errno.exception(operation, object, f.errno, null);
      }
    }
  }
}
