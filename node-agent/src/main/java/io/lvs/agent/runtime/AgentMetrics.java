package io.lvs.agent.runtime;

import io.lvs.agent.apply.ApplyReport;
import io.lvs.agent.apply.OperationResult;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.Stats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * The agent's Prometheus metrics: sync durations and results, netlink (kernel) errors by operation,
 * status writes by result, unhealthy members, and per-service / per-destination IPVS counters as
 * read from the last stats dump, with the kernel's rates beside them (gauges: the kernel owns the
 * counting and the rate estimation, we only mirror them).
 */
public final class AgentMetrics {
  private final MeterRegistry registry;
  private final Timer syncOk;
  private final Timer syncFailed;
  private final AtomicInteger unhealthy = new AtomicInteger();
  private final AtomicInteger draining = new AtomicInteger();
  private final List<Stat> stats = new ArrayList<>();

  private record Stat(MultiGauge service, MultiGauge destination, ToLongFunction<Stats> value) {}

  public AgentMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.syncOk = Timer.builder("lvs.agent.sync").description("Apply of the node state to the kernel, read-back included")
        .tag("result", "ok").register(registry);
    this.syncFailed = Timer.builder("lvs.agent.sync").description("Apply of the node state to the kernel, read-back included")
        .tag("result", "failed").register(registry);
    registry.gauge("lvs.agent.health.unhealthy.members", unhealthy);
    registry.gauge("lvs.agent.draining.destinations", draining);
    stat("connections", Stats::connections);
    stat("in.packets", Stats::inPackets);
    stat("out.packets", Stats::outPackets);
    stat("in.bytes", Stats::inBytes);
    stat("out.bytes", Stats::outBytes);
    // the kernel's own rate estimator (2 s samples averaged): what ipvsadm -Ln --rate shows
    stat("connections.per.second", Stats::cps);
    stat("in.packets.per.second", Stats::inPps);
    stat("out.packets.per.second", Stats::outPps);
    stat("in.bytes.per.second", Stats::inBps);
    stat("out.bytes.per.second", Stats::outBps);
  }

  private void stat(String name, ToLongFunction<Stats> value) {
    stats.add(new Stat(
        MultiGauge.builder("lvs.ipvs.service." + name).description("IPVS service " + name + " (kernel stats)")
            .register(registry),
        MultiGauge.builder("lvs.ipvs.destination." + name).description("IPVS destination " + name + " (kernel stats)")
            .register(registry),
        value));
  }

  public MeterRegistry registry() {
    return registry;
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

  public void unhealthyMembers(int n) {
    unhealthy.set(n);
  }

  /** Replaces the per-service and per-destination gauges with this dump's values. */
  public void observed(List<ObservedService> services, Map<io.lvs.agent.model.ServiceKey, String> owners) {
    for (Stat st : stats) {
      List<MultiGauge.Row<?>> svcRows = new ArrayList<>();
      List<MultiGauge.Row<?>> destRows = new ArrayList<>();
      for (ObservedService s : services) {
        String owner = owners.get(s.service().key());
        if (owner == null) {
          continue; // not ours (kube-proxy, by hand): not our metric to publish
        }
        String svc = s.service().key().toString();
        svcRows.add(MultiGauge.Row.of(Tags.of("service", svc, "owner", owner), value(st, s.stats())));
        for (ObservedDestination d : s.destinations()) {
          destRows.add(MultiGauge.Row.of(
              Tags.of("service", svc, "owner", owner, "destination", d.destination().key().toString()),
              value(st, d.stats())));
        }
      }
      st.service.register(svcRows, true);
      st.destination.register(destRows, true);
    }
  }

  private static long value(Stat st, Stats s) {
    return s == null ? 0 : st.value.applyAsLong(s);
  }
}
