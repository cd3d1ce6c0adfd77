package io.lvs.agent.runtime;

import io.lvs.agent.apply.ApplyReport;
import io.lvs.agent.apply.OperationResult;
import io.lvs.agent.model.ObservedService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's Prometheus metrics: sync durations and results, netlink (kernel) errors by operation,
 * status writes by result, unhealthy members, and per-service / per-destination IPVS counters as
 * read from the last stats dump (gauges: the kernel owns the counting, we only mirror it).
 */
public final class AgentMetrics {
  private final MeterRegistry registry;
  private final Timer syncOk;
  private final Timer syncFailed;
  private final AtomicInteger unhealthy = new AtomicInteger();
  private final AtomicInteger draining = new AtomicInteger();
  private final AtomicInteger resyncDumps = new AtomicInteger();
  private final IpvsStatsText ipvsStats = new IpvsStatsText();

  public AgentMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.syncOk = Timer.builder("lvs.agent.sync").description("Apply of the node state to the kernel, read-back included")
        .tag("result", "ok").register(registry);
    this.syncFailed = Timer.builder("lvs.agent.sync").description("Apply of the node state to the kernel, read-back included")
        .tag("result", "failed").register(registry);
    registry.gauge("lvs.agent.health.unhealthy.members", unhealthy);
    registry.gauge("lvs.agent.draining.destinations", draining);
    Gauge.builder("lvs.agent.resync.destination.dumps", resyncDumps, AtomicInteger::get)
        .description("Services whose destinations the last resync dumped (the rest were checked in /proc/net/ip_vs)")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The registry's meters, then the IPVS counters written straight from the last table read
   * ({@link IpvsStatsText}), in the Prometheus text format; what /metrics answers.
   */
  public void scrape(OutputStream out) throws IOException {
    if (registry instanceof PrometheusMeterRegistry p) {
      p.scrape(out);
    }
    ipvsStats.write(out);
  }

  /** {@link #scrape(OutputStream)} as a string (tests, benchmarks). */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      scrape(out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  public void syncDone(Duration took, boolean ok) {
    (ok ? syncOk : syncFailed).record(took);
  }

  /** Kernel operations that failed, by the operation (phase) that failed. */
  public void applied(ApplyReport report) {
    for (OperationResult r : report.results()) {
      if (r.outcome() == OperationResult.Outcome.FAILED) {
        netlinkError(r.operation().phase().name().toLowerCase(java.util.Locale.ROOT));
      }
    }
  }

  public void netlinkError(String operation) {
    Counter.builder("lvs.agent.netlink.errors").description("Kernel (netlink) calls that failed, by operation")
        .tag("operation", operation).register(registry).increment();
  }

  public void statusWrite(String result) {
    Counter.builder("lvs.agent.status.writes").description("Writes of the node object's status, by result")
        .tag("result", result).register(registry).increment();
  }

  public void resyncDumps(int services) {
    resyncDumps.set(services);
  }

  public void unhealthyMembers(int n) {
    unhealthy.set(n);
  }

  /** The IPVS counters published from now on: this read's (kept by reference, built at scrape time). */
  public void observed(List<ObservedService> services, Map<io.lvs.agent.model.ServiceKey, String> owners) {
    ipvsStats.observed(services, owners);
  }
}
