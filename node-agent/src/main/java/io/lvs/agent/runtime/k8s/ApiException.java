package io.lvs.agent.runtime.k8s;

/** A request to the API server that failed: its HTTP status (0: no answer) and what was said. */
public final class ApiException extends RuntimeException {
  private final int code;

  public ApiException(int code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The HTTP status of the answer, 0 when there was none (connect, I/O, timeout). */
  public int code() {
    return code;
  }
}
