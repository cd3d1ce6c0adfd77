package io.lvs.agent.runtime.k8s;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lvs.agent.runtime.AgentMetrics;
import io.lvs.agent.runtime.StatusSink;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.ServiceReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of this node's status: a PUT to the status subresource of its own object with the
 * resourceVersion it last saw (optimistic locking). A 409 means its copy was stale: it re-reads the
 * object and tries again. A status that differs from the last written one only in lastSyncTime and
 * counters is written at most once per {@code heartbeat}, so a thousand nodes resyncing every 10 s
 * do not flood the API server. While the API server is unreachable it keeps the newest status and
 * retries with backoff; it never blocks the sync loop.
 */
public final class StatusWriter implements StatusSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
  static final int MAX_CONFLICT_RETRIES = 5;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final String nodeName;
  private final Supplier<Optional<LvsNodeState>> cached;
  private final ScheduledExecutorService executor;
  private final AgentMetrics metrics;
  private final Duration heartbeat;
  private final Clock clock;
  private final AtomicReference<LvsNodeStateStatus> pending = new AtomicReference<>();
  private final AtomicBoolean queued = new AtomicBoolean();
  private LvsNodeStateStatus lastWritten;
  private Instant lastWriteTime = Instant.EPOCH;
  private Duration backoff = Duration.ofSeconds(1);

  /**
   * @param cached the node object as last seen (the watcher's cache), tried first to save a GET
   */
  public StatusWriter(KubernetesClient client, String nodeName, Supplier<Optional<LvsNodeState>> cached,
      ScheduledExecutorService executor, AgentMetrics metrics, Duration heartbeat, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.cached = Objects.requireNonNull(cached, "cached");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void publish(LvsNodeStateStatus status) {
    pending.set(status);
    schedule(Duration.ZERO);
  }

  private void schedule(Duration delay) {
    if (queued.compareAndSet(false, true)) {
      executor.schedule(() -> {
        queued.set(false);
        flush();
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void flush() {
    LvsNodeStateStatus status = pending.getAndSet(null);
    if (status == null) {
      return;
    }
    try {
      writeIfNeeded(status);
      backoff = Duration.ofSeconds(1);
    } catch (RuntimeException e) {
      metrics.statusWrite("error");
      LOG.atWarn().addKeyValue("node", nodeName).addKeyValue("retryInMs", backoff.toMillis())
          .addKeyValue("error", e.getMessage()).log("status write failed");
      pending.compareAndSet(null, status); // keep it unless a newer one arrived
      Duration wait = backoff;
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      schedule(wait);
    }
  }

  /** Writes unless only timestamps and counters changed within the heartbeat; true when written. */
  synchronized boolean writeIfNeeded(LvsNodeStateStatus status) {
    Instant now = clock.instant();
    if (lastWritten != null && significant(lastWritten).equals(significant(status))
        && Duration.between(lastWriteTime, now).compareTo(heartbeat) < 0) {
      return false;
    }
    if (write(status)) {
      lastWritten = status;
      lastWriteTime = now;
      return true;
    }
    return false;
  }

  /**
   * One status write with conflict handling; false when the object does not exist (nothing to
   * report to). Throws on anything but a conflict.
   */
  public synchronized boolean write(LvsNodeStateStatus status) {
    LvsNodeState base = cached.get().orElse(null);
    for (int attempt = 0; ; attempt++) {
      if (base == null) {
        base = client.resources(LvsNodeState.class).withName(nodeName).get();
        if (base == null) {
          metrics.statusWrite("missing");
          return false;
        }
      }
      LvsNodeState update = new LvsNodeState();
      update.setMetadata(new ObjectMetaBuilder().withName(nodeName)
          .withResourceVersion(base.getMetadata().getResourceVersion()).build());
      update.setSpec(base.getSpec());
      update.setStatus(status);
      try {
        client.resources(LvsNodeState.class).resource(update).updateStatus();
        metrics.statusWrite("ok");
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 && attempt < MAX_CONFLICT_RETRIES) {
          metrics.statusWrite("conflict");
          LOG.atDebug().addKeyValue("node", nodeName).addKeyValue("resourceVersion", base.getMetadata().getResourceVersion())
              .log("status write conflicted, re-reading");
          base = null; // re-read the object and try again
        } else if (e.getCode() == 404) {
          metrics.statusWrite("missing");
          return false;
        } else {
          throw e;
        }
      }
    }
  }

  /** The status without what changes on every sync: sync time and counters. */
  static LvsNodeStateStatus significant(LvsNodeStateStatus s) {
    return new LvsNodeStateStatus(s.observedGeneration(), s.conditions(), null, s.owners(),
        s.services() == null ? null : s.services().stream()
            .map(r -> new ServiceReport(r.owner(), r.service(), r.programmed(), r.error(),
                r.destinations() == null ? null : r.destinations().stream()
                    .map(d -> new io.lvs.api.v1alpha1.DestinationReport(d.address(), d.port(), d.weight(), d.health(),
                        null, null, null, null, null, null, null))
                    .toList(),
                null, null, null, null, null))
            .toList());
  }

  @Override
  public void close() {
    // the executor belongs to the agent; nothing of our own to release
  }
}
