package io.lvs.agent.netlink;

/**
 * The kernel flagged a dump NLM_F_DUMP_INTR: the table changed while it was being read, so the
 * result may be inconsistent. Retryable: dump again.
 */
public class DumpInterruptedException extends NetlinkException {
  private static final long serialVersionUID = 1L;

  public DumpInterruptedException(String operation, String object) {
    super(operation, object, Errno.EINTR, Errno.name(Errno.EINTR), "dump interrupted (NLM_F_DUMP_INTR), retry");
  }
}
