package io.lvs.operator.controller;

import io.fabric8.kubernetes.api.model.Condition;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceStatus;
import io.lvs.operator.apply.EventRecorder;
import io.lvs.operator.status.Conditions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kubernetes Events a VirtualService's status change is worth: one per condition whose status
 * or reason changed, except a first healthy one and the transient NodesPending / Programming.
 */
final class ConditionEvents {
  private final EventRecorder events;

  ConditionEvents(EventRecorder events) {
    this.events = events;
  }

  /** Tells of each condition that changed: a warning when it went bad, a normal event when it recovered. */
  void record(VirtualService vs, VirtualServiceStatus next) {
    List<Condition> before = vs.getStatus() == null ? List.of() : vs.getStatus().conditions();
    for (Condition c : next.conditions()) {
      Optional<Condition> was = Conditions.find(before, c.getType());
      if (was.isPresent() && Objects.equals(was.get().getStatus(), c.getStatus())
          && Objects.equals(was.get().getReason(), c.getReason())) {
        continue;
      }
      boolean bad = Conditions.positive(c.getType()) ? "False".equals(c.getStatus()) : "True".equals(c.getStatus());
      if (was.isEmpty() && !bad) {
        continue; // a first healthy condition is not news
      }
      if (bad && !"NodesPending".equals(c.getReason()) && !"Programming".equals(c.getReason())) {
        events.warning(vs, c.getReason(), c.getType() + ": " + c.getMessage());
      } else if (!bad) {
        events.normal(vs, c.getReason(), c.getType() + ": " + c.getMessage());
      }
    }
  }
}
