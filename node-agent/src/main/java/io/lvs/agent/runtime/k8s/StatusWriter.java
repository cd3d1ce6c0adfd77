package io.lvs.agent.runtime.k8s;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lvs.agent.runtime.AgentMetrics;
import io.lvs.agent.runtime.SliceStatus;
import io.lvs.agent.runtime.StatusSink;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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

  private final ApiClient client;
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
  public StatusWriter(ApiClient client, String nodeName, Function<String, Optional<LvsNodeState>> cached,
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
    String version = cached.apply(slice).map(s -> s.getMetadata().getResourceVersion()).orElse(null);
    for (int attempt = 0; ; attempt++) {
      if (version == null) {
        version = resourceVersion(slice);
        if (version == null) {
          metrics.statusWrite("missing");
          return Optional.empty();
        }
      }
      try {
        String uid = putStatus(slice, version, status);
        metrics.statusWrite("ok");
        return Optional.of(Objects.requireNonNullElse(uid, ""));
      } catch (ApiException e) {
        if (e.code() == 409 && attempt < MAX_CONFLICT_RETRIES) {
          metrics.statusWrite("conflict");
          LOG.atDebug().addKeyValue("slice", slice).addKeyValue("resourceVersion", version)
              .log("status write conflicted, re-reading");
          version = null; // re-read the object and try again
        } else if (e.code() == 404) {
          metrics.statusWrite("missing");
          return Optional.empty();
        } else {
          throw e;
        }
      }
    }
  }

  /** The slice's current resourceVersion read from the API server, null when it does not exist. */
  private String resourceVersion(String slice) {
    try (InputStream body = client.get(NodeStateWatcher.PATH + "/" + slice)) {
      return metadataField(json.getFactory(), body, "resourceVersion");
    } catch (ApiException e) {
      if (e.code() == 404) {
        return null;
      }
      throw e;
    } catch (IOException e) {
      throw new ApiException(0, "reading slice " + slice + ": " + e, e);
    }
  }

  /**
   * The PUT to the slice's status subresource, on {@code version}; of the answer only metadata.uid
   * is read. No spec: the status subresource takes only the status and keeps the stored spec, which
   * would otherwise be serialized again with every write (a slice's whole table); the answer is the
   * whole object, its spec included, and parsing it into objects for one string cost a slice's
   * table in garbage per write.
   */
  private String putStatus(String slice, String version, LvsNodeStateStatus status) {
    byte[] body;
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      try (JsonGenerator g = json.getFactory().createGenerator(out)) {
        g.writeStartObject();
        g.writeStringField("apiVersion", HasMetadata.getApiVersion(LvsNodeState.class));
        g.writeStringField("kind", HasMetadata.getKind(LvsNodeState.class));
        g.writeObjectFieldStart("metadata");
        g.writeStringField("name", slice);
        g.writeStringField("resourceVersion", version);
        g.writeEndObject();
        g.writeFieldName("status");
        json.writeValue(g, status);
        g.writeEndObject();
      }
      body = out.toByteArray();
    } catch (IOException e) {
      throw new ApiException(0, "status of " + slice + ": " + e, e);
    }
    try (InputStream answer = client.send("PUT", NodeStateWatcher.PATH + "/" + slice + "/status", "application/json", body)) {
      return metadataField(json.getFactory(), answer, "uid");
    } catch (IOException e) {
      throw new ApiException(0, "status write of " + slice + ": " + e, e);
    }
  }

  /** metadata.uid of an object's JSON, the rest skipped without being built. */
  static String uidOf(JsonFactory factory, InputStream in) throws IOException {
    return metadataField(factory, in, "uid");
  }

  /** A string field of an object's metadata, the rest skipped without being built. */
  static String metadataField(JsonFactory factory, InputStream in, String want) throws IOException {
    try (JsonParser p = factory.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        if (p.nextToken() == JsonToken.START_OBJECT && "metadata".equals(field)) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING && want.equals(name)) {
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
