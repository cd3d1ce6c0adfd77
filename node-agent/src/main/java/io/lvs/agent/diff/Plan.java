package io.lvs.agent.diff;

import io.lvs.agent.dataplane.Conflict;
import io.lvs.agent.dataplane.ObjectRef;
import java.util.List;

/**
 * The ordered, minimal operations that take the owned part of the kernel to the desired state;
 * the objects the differ refused to touch ({@link #conflicts()}); and owned objects that are gone
 * from the kernel and no longer wanted, which only need forgetting ({@link #forget()}).
 */
public record Plan(List<Operation> operations, List<Conflict> conflicts, List<ObjectRef> forget) {
  public static final Plan EMPTY = new Plan(List.of(), List.of(), List.of());

  public Plan {
    operations = List.copyOf(operations);
    conflicts = List.copyOf(conflicts);
    forget = List.copyOf(forget);
  }

  /** True when the kernel needs no change (conflicts and forgetting are not changes). */
  public boolean isEmpty() {
    return operations.isEmpty();
  }

  public int size() {
    return operations.size();
  }
}
