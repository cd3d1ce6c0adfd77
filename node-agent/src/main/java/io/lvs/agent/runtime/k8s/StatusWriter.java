package io.lvs.agent.runtime.k8s;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.lvs.agent.runtime.AgentMetrics;
import io.lvs.agent.runtime.SliceStatus;
import io.lvs.agent.runtime.StatusSink;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of this node's slices' statuses: per slice, a PUT to the status subresource with
 * the resourceVersion it last saw (optimistic locking). A 409 means its copy was stale: it re-reads
 * the object and tries again; a 404 means the slice is gone (nothing to report to, not an error). A
 * slice's status that differs from the last one written to it only in lastSyncTime and counters is
 * written at most once per {@code heartbeat}, so a thousand nodes resyncing every 10 s do not flood
 * the API server; a slice whose status did not change significantly costs nothing. While the API
 * server is unreachable it keeps each slice's newest status not yet written, no more
 * ({@link LatestBySlice}), and retries with backoff; it never blocks the sync loop.
 */
public final class StatusWriter implements StatusSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
  static final int MAX_CONFLICT_RETRIES = 5;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** What was last written to one slice: to which incarnation (uid), the digest of what, and when. */
  private record Written(String uid, StatusDigest status, Instant at) {}

  private final KubernetesClient client;
  private final String nodeName;
  private final Function<String, Optional<LvsNodeState>> cached;
  private final ScheduledExecutorService executor;
  private final AgentMetrics metrics;
  private final Duration heartbeat;
  private final Clock clock;
  private final LatestBySlice<SliceStatus> pending = new LatestBySlice<>();
  private final AtomicBoolean queued = new AtomicBoolean();
  private final Map<String, Written> written = new HashMap<>();
  private final ObjectMapper json = new ObjectMapper();
  private Duration backoff = Duration.ofSeconds(1);

  /**
   * @param cached a slice as last seen by name (the watcher's cache), tried first to save a GET
   */
  public StatusWriter(KubernetesClient client, String nodeName, Function<String, Optional<LvsNodeState>> cached,
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
  public void publish(Map<String, SliceStatus> bySlice) {
    pending.offer(bySlice);
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
    forgetAllBut(pending.live());
    RuntimeException failed = null;
    for (String slice : pending.slices()) {
      // the newest status of the slice, read now: one published during this flush replaced the older one
      SliceStatus status = pending.get(slice).orElse(null);
      if (status == null) {
        continue; // gone meanwhile
      }
      try {
        writeIfNeeded(slice, status.build()); // built here, one slice's reports at a time
        pending.done(slice, status);
      } catch (RuntimeException ex) {
        metrics.statusWrite("error");
        LOG.atWarn().addKeyValue("node", nodeName).addKeyValue("slice", slice)
            .addKeyValue("error", ex.getMessage()).log("status write failed");
        failed = ex;
      }
    }
    if (failed == null) {
      backoff = Duration.ofSeconds(1);
      return;
    }
    // only the slices not written wait, each with its newest status
    Duration wait = backoff;
    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    LOG.atWarn().addKeyValue("node", nodeName).addKeyValue("waiting", pending.size()).addKeyValue("retryInMs", wait.toMillis())
        .log("status writes retried later");
    schedule(wait);
  }

  /** Slices no longer published are gone: what was written to them is forgotten. */
  private synchronized void forgetAllBut(java.util.Set<String> live) {
    written.keySet().retainAll(live);
  }

  /**
   * Writes one slice's status unless only timestamps and counters changed within the heartbeat;
   * true when written.
   */
  synchronized boolean writeIfNeeded(String slice, LvsNodeStateStatus status) {
    Instant now = clock.instant();
    Written last = written.get(slice);
    Optional<LvsNodeState> seen = cached.apply(slice);
    // a slice deleted and created again under the same name is a new object that has no status yet
    boolean sameObject = last != null && seen.map(s -> Objects.equals(s.getMetadata().getUid(), last.uid())).orElse(true);
    StatusDigest digest = StatusDigest.of(json, status);
    if (last != null && sameObject && last.status().equals(digest)
        && Duration.between(last.at(), now).compareTo(heartbeat) < 0) {
      return false;
    }
    Optional<String> uid = write(slice, status);
    if (uid.isPresent()) {
      written.put(slice, new Written(uid.get(), digest, now)); // not the status: a digest is all the next compare needs
      return true;
    }
    written.remove(slice);
    return false;
  }

  /**
   * One status write to one slice with conflict handling; the uid of the object written, empty
   * when the slice does not exist (nothing to report to). Throws on anything but a conflict or 404.
   */
  public synchronized Optional<String> write(String slice, LvsNodeStateStatus status) {
    LvsNodeState base = cached.apply(slice).orElse(null);
    for (int attempt = 0; ; attempt++) {
      if (base == null) {
        base = client.resources(LvsNodeState.class).withName(slice).get();
        if (base == null) {
          metrics.statusWrite("missing");
          return Optional.empty();
        }
      }
      LvsNodeState update = new LvsNodeState();
      update.setMetadata(new ObjectMetaBuilder().withName(slice)
          .withResourceVersion(base.getMetadata().getResourceVersion()).build());
      // no spec: the status subresource takes only the status and keeps the stored spec, which
      // would otherwise be serialized again with every write (a slice's whole table)
      update.setStatus(status);
      try {
        String uid = putStatus(slice, update);
        metrics.statusWrite("ok");
        return Optional.of(Objects.requireNonNullElse(uid, ""));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 && attempt < MAX_CONFLICT_RETRIES) {
          metrics.statusWrite("conflict");
          LOG.atDebug().addKeyValue("slice", slice).addKeyValue("resourceVersion", base.getMetadata().getResourceVersion())
              .log("status write conflicted, re-reading");
          base = null; // re-read the object and try again
        } else if (e.getCode() == 404) {
          metrics.statusWrite("missing");
          return Optional.empty();
        } else {
          throw e;
        }
      }
    }
  }

  /**
   * The PUT to the slice's status subresource; of the answer only metadata.uid is read. The answer
   * is the whole object, its spec included: parsing it into objects for one string cost a slice's
   * table in garbage per write. Throws a {@link KubernetesClientException} with the HTTP code.
   */
  private String putStatus(String slice, LvsNodeState update) {
    String master = client.getMasterUrl().toString();
    URI uri = URI.create(master.endsWith("/") ? master : master + "/").resolve("apis/"
        + HasMetadata.getApiVersion(LvsNodeState.class) + "/" + HasMetadata.getPlural(LvsNodeState.class) + "/"
        + slice + "/status");
    HttpRequest.Builder request = client.getHttpClient().newHttpRequestBuilder().uri(uri)
        .put("application/json", client.getKubernetesSerialization().asJson(update));
    int timeout = client.getConfiguration().getRequestTimeout();
    if (timeout > 0) {
      request.timeout(timeout, TimeUnit.MILLISECONDS);
    }
    HttpResponse<InputStream> response;
    try {
      response = client.getHttpClient().sendAsync(request.build(), InputStream.class).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KubernetesClientException.launderThrowable("status write of " + slice, e);
    } catch (ExecutionException e) {
      throw KubernetesClientException.launderThrowable("status write of " + slice, e.getCause());
    }
    try (InputStream body = response.body()) {
      if (!response.isSuccessful()) {
        String text = body == null ? "" : new String(body.readNBytes(4096), StandardCharsets.UTF_8);
        throw new KubernetesClientException("status write of " + slice + ": HTTP " + response.code() + " " + text,
            response.code(), null);
      }
      return body == null ? null : uidOf(json.getFactory(), body);
    } catch (IOException e) {
      throw KubernetesClientException.launderThrowable("status write of " + slice, e);
    }
  }

  /** metadata.uid of an object's JSON, the rest skipped without being built. */
  static String uidOf(JsonFactory factory, InputStream in) throws IOException {
    try (JsonParser p = factory.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        if (p.nextToken() == JsonToken.START_OBJECT && "metadata".equals(field)) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING && "uid".equals(name)) {
              return p.getText();
            }
            p.skipChildren();
          }
          return null;
        }
        p.skipChildren();
      }
      return null;
    }
  }

  @Override
  public void close() {
    // the executor belongs to the agent; nothing of our own to release
  }
}
