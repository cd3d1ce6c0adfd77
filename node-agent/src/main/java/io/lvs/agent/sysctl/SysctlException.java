package io.lvs.agent.sysctl;

/** A sysctl that could not be read or written; the message names the key, the value and why. */
public class SysctlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SysctlException(String message) {
    super(message);
  }

  public SysctlException(String message, Throwable cause) {
    super(message, cause);
  }
}
