package io.lvs.api.v1alpha1;

/** How the directing agent probes a real server. */
public enum HealthCheckType {
  TCP,
  HTTP
}
