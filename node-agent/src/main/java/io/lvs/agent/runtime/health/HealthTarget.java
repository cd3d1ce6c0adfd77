package io.lvs.agent.runtime.health;

import io.lvs.api.v1alpha1.HealthCheck;
import io.lvs.api.v1alpha1.HealthCheckType;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What to probe for one member and how: address and port, TCP connect or HTTP GET (path, expected
 * status), every {@code interval} with {@code timeout}; {@code fall} failures in a row take it out,
 * {@code rise} successes in a row bring it back. Defaults are the API's: 5 s, 2 s, rise 2, fall 3.
 */
public record HealthTarget(
    HealthCheckType type,
    InetAddress address,
    int port,
    String path,
    int expectedStatus,
    Duration interval,
    Duration timeout,
    int rise,
    int fall) {
  public HealthTarget {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    if (rise < 1 || fall < 1) {
      throw new IllegalArgumentException("rise and fall must be at least 1");
    }
  }

  /** The target for a member at address:memberPort under the spec's health check. */
  public static HealthTarget of(HealthCheck hc, InetAddress address, int memberPort) {
    return new HealthTarget(
        hc.type() == null ? HealthCheckType.TCP : hc.type(),
        address,
        hc.port() != null ? hc.port() : memberPort,
        hc.path() != null ? hc.path() : "/",
        hc.expectedStatus() != null ? hc.expectedStatus() : 200,
        Duration.ofSeconds(hc.intervalSeconds() != null ? hc.intervalSeconds() : 5),
        Duration.ofSeconds(hc.timeoutSeconds() != null ? hc.timeoutSeconds() : 2),
        hc.riseThreshold() != null ? hc.riseThreshold() : 2,
        hc.fallThreshold() != null ? hc.fallThreshold() : 3);
  }
}
