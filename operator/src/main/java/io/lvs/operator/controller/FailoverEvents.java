package io.lvs.operator.controller;

import io.lvs.api.v1alpha1.LastFailover;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.apply.EventRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A failover seen in a VirtualService's status (a new {@code lastFailover}): an Event on it (reason
 * from the agent's annotation), and per VIP {@code lvs_operator_ha_failovers_total{vip,reason}} and
 * {@code lvs_operator_ha_last_failover_timestamp_seconds{vip}} (time() minus it: seconds since). A
 * failover already in the status at start is not counted again; VirtualServices sharing a VIP count
 * it once.
 */
final class FailoverEvents {
  private static final Pattern REASON = Pattern.compile("[A-Z][A-Za-z0-9]{0,127}");
  private final EventRecorder events;
  private final MeterRegistry metrics;
  private final Map<String, String> counted = new ConcurrentHashMap<>(); // vip -> failover time counted
  private final Map<String, AtomicLong> last = new ConcurrentHashMap<>();

  FailoverEvents(EventRecorder events, MeterRegistry metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  void record(VirtualService vs, LastFailover before, LastFailover now) {
    if (now == null || now.time() == null || vs.getSpec() == null || vs.getSpec().vip() == null) {
      return;
    }
    String vip = vs.getSpec().vip();
    gauge(vip, now.time());
    if (before != null && Objects.equals(before.time(), now.time())) {
      counted.putIfAbsent(vip, now.time());
      return;
    }
    String reason = now.reason() != null && REASON.matcher(now.reason()).matches() ? now.reason() : "Failover";
    events.normal(vs, reason, "VIP " + vip + " moved from " + (now.from() == null ? "nobody" : now.from()) + " to "
        + (now.to() == null ? "nobody yet" : now.to()) + " at " + now.time()
        + (now.reason() == null ? "" : " (" + now.reason() + ")"));
    if (!now.time().equals(counted.put(vip, now.time()))) {
      Counter.builder("lvs_operator_ha_failovers").description("VIP moves between directors seen on their Lease")
          .tag("vip", vip).tag("reason", reason).register(metrics).increment();
    }
  }

  private void gauge(String vip, String time) {
    long epoch;
    try {
      epoch = Instant.parse(time).getEpochSecond();
    } catch (DateTimeParseException e) {
      return; // not RFC 3339: the status still shows it as written
    }
    last.computeIfAbsent(vip, v -> {
      AtomicLong a = new AtomicLong();
      Gauge.builder("lvs_operator_ha_last_failover_timestamp_seconds", a, AtomicLong::get)
          .description("When the VIP last moved between directors (Unix time)").tag("vip", v).register(metrics);
      return a;
    }).set(epoch);
  }
}
