package io.lvs.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Conditions per the Kubernetes API conventions: type, status True/False/Unknown, a CamelCase
 * reason, a human message, observedGeneration, and a lastTransitionTime that moves only when the
 * status does (so an unchanged condition does not make the status differ).
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String PROGRAMMED = "Programmed";
  public static final String DEGRADED = "Degraded";
  public static final String CONFLICT = "Conflict";
  /** The DNS name (publishService): True when the Service and EndpointSlice are in place. */
  public static final String SERVICE_PUBLISHED = "ServicePublished";

  private final List<Condition> previous;
  private final long generation;
  private final Instant now;
  private final List<Condition> out = new ArrayList<>();

  public Conditions(List<Condition> previous, long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now.truncatedTo(ChronoUnit.SECONDS);
  }

  public Conditions set(String type, boolean status, String reason, String message) {
    String s = status ? "True" : "False";
    String since =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && s.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now.toString());
    out.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(s)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(since)
            .build());
    return this;
  }

  public List<Condition> build() {
    return List.copyOf(out);
  }

  /** Whether True is the good state of this condition type (Ready), rather than the bad one (Degraded). */
  public static boolean positive(String type) {
    return READY.equals(type) || PROGRAMMED.equals(type) || SERVICE_PUBLISHED.equals(type);
  }

  /** The condition of that type in the list, if any. */
  public static java.util.Optional<Condition> find(List<Condition> list, String type) {
    return list == null
        ? java.util.Optional.empty()
        : list.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
