package io.lvs.agent.apply;

import io.lvs.agent.diff.Operation;
import java.util.Objects;

/**
 * What became of one planned operation. {@code error} is the kernel's word (the
 * NetlinkException text, e.g. "add destination 198.18.0.11:80 to TCP 198.18.0.100:80: EEXIST")
 * for FAILED, the reason for SKIPPED, null for SUCCEEDED.
 */
public record OperationResult(Operation operation, Outcome outcome, String error) {
  public enum Outcome {
    SUCCEEDED,
    FAILED,
    /** Not tried: something it depends on failed (a destination of a service that was not created). */
    SKIPPED
  }

  public OperationResult {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(outcome, "outcome");
  }

  public boolean succeeded() {
    return outcome == Outcome.SUCCEEDED;
  }

  @Override
  public String toString() {
    return operation.phase() + " " + operation.object() + ": " + outcome + (error == null ? "" : " (" + error + ")");
  }
}
