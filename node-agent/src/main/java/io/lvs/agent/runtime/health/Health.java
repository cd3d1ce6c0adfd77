package io.lvs.agent.runtime.health;

/** A probed member's state, as status reports it. Members start Healthy: a restart must not cut traffic. */
public enum Health {
  Healthy,
  Unhealthy
}
