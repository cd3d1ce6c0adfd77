package io.lvs.agent.runtime.health;

/** One probe of one member: returns when healthy, throws with the reason when not. */
@FunctionalInterface
public interface Probe {
  void check(HealthTarget target) throws Exception;
}
