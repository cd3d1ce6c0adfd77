package io.lvs.agent.runtime;

import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.runtime.health.HealthTarget;
import io.lvs.agent.runtime.health.MemberKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A node spec as the dataplane's {@link DesiredState}, plus what could not be translated, by owner
 * ("namespace/name" of the VirtualService): such an entry is left out of the desired state and
 * reported, the rest of the spec is still applied. {@code owners} lists every owner the spec names;
 * {@code healthTargets} the members to probe (those of services with a health check, not draining).
 */
public record Translation(
    DesiredState desired,
    Map<String, List<String>> errors,
    Set<String> owners,
    Map<MemberKey, HealthTarget> healthTargets) {
  public Translation {
    TreeMap<String, List<String>> e = new TreeMap<>();
    errors.forEach((k, v) -> e.put(k, List.copyOf(v)));
    errors = Collections.unmodifiableMap(e);
    owners = Collections.unmodifiableSet(new TreeSet<>(owners));
    healthTargets = Collections.unmodifiableMap(new LinkedHashMap<>(healthTargets));
  }

  public static final Translation EMPTY = new Translation(DesiredState.EMPTY, Map.of(), Set.of(), Map.of());

  public List<String> errorsOf(String owner) {
    return errors.getOrDefault(owner, List.of());
  }

  static Map<String, List<String>> newErrors() {
    return new TreeMap<>();
  }

  static void add(Map<String, List<String>> errors, String owner, String message) {
    errors.computeIfAbsent(owner, k -> new ArrayList<>()).add(message);
  }
}
