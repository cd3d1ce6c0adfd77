package io.lvs.agent.runtime.k8s;

import com.fasterxml.jackson.core.JsonParser;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lvs.api.slices.NodeSlices;
import io.lvs.api.v1alpha1.LvsNodeState;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this node's slices (LvsNodeState objects, see {@link NodeSlices}) and nothing else: a
 * list, then a watch from its resourceVersion, with the label selector
 * lvs.io/node=labelValue(NODE_NAME), keeping only objects whose {@link NodeSlices#nodeOf} is this
 * node (a hashed label value could collide; names are not relied on). On any change the listener
 * gets the whole current set, because the agent applies their union. Nothing is passed on before
 * the first list completed: the first objects to arrive are not yet all of them, and applying a
 * part would remove what the rest asks for. A watch that ends is reopened from the last
 * resourceVersion seen (bookmarks included); one the API server no longer has (410 Gone) is
 * replaced by a new list; failures are retried with exponential backoff (1 s to 30 s), and the
 * cache keeps the last objects meanwhile. A set that differs from the last one passed on only in
 * status (the agent's own writes) is not passed on.
 *
 * <p>Its own loop on the agent's {@link ApiClient} rather than fabric8's informer: the objects are
 * read from the response stream as they arrive ({@link SliceDecoder}, statuses cut while read),
 * where the informer's WebSocket kept a buffer the size of the largest event for the connection's
 * life and built each status this agent wrote in full before the cache dropped it.
 */
public final class NodeStateWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStateWatcher.class);
  private static final long MIN_BACKOFF_MILLIS = 1_000;
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  static final String PATH = "apis/" + HasMetadata.getApiVersion(LvsNodeState.class) + "/"
      + HasMetadata.getPlural(LvsNodeState.class);

  /** Receives this node's slices, all of them, sorted by name, whenever one changed. */
  public interface Listener {
    void onSlices(List<LvsNodeState> slices);
  }

  /** What makes two deliveries differ: names, generations and specs, not status. */
  private record Key(String name, Long generation, Object spec) {}

  /** The API server no longer has the resourceVersion asked for: list again. */
  private static final class Gone extends IOException {
    Gone(String message) {
      super(message);
    }
  }

  private final ApiClient client;
  private final String nodeName;
  private final Listener listener;
  private final SliceDecoder decoder = new SliceDecoder();
  private final SliceCache cache = new SliceCache();
  // deliveries have their own lock: start() and close() must not wait for a listener, nor the
  // watch thread for close()
  private final Object deliveryLock = new Object();
  private Thread thread;
  private volatile boolean synced;
  private volatile boolean closed;
  private volatile InputStream open;
  private volatile boolean watching;
  private List<Key> delivered;

  public NodeStateWatcher(ApiClient client, String nodeName, Listener listener) {
    this.client = Objects.requireNonNull(client, "client");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Starts watching; returns at once, also when the API server cannot be reached (it keeps trying). */
  public synchronized void start() {
    if (thread != null || closed) {
      return;
    }
    thread = new Thread(this::run, "agent-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    String rv = null;
    long backoff = MIN_BACKOFF_MILLIS;
    while (!closed) {
      try {
        if (rv == null) {
          rv = list();
          backoff = MIN_BACKOFF_MILLIS;
        }
        long opened = System.nanoTime();
        rv = watch(rv);
        if (System.nanoTime() - opened >= MIN_BACKOFF_MILLIS * 1_000_000) {
          backoff = MIN_BACKOFF_MILLIS; // the watch ended as watches do (its timeout): reopen at once
        } else {
          // ended as soon as it opened (a proxy, an overloaded server): not a tight loop of requests
          Thread.sleep(backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
      } catch (Gone e) {
        LOG.atInfo().addKeyValue("node", nodeName).addKeyValue("reason", e.getMessage())
            .log("watch expired, listing again");
        rv = null;
      } catch (Exception e) {
        if (closed) {
          return;
        }
        LOG.atWarn().addKeyValue("node", nodeName).addKeyValue("started", synced)
            .addKeyValue("error", String.valueOf(e.getMessage())).log("watch failed, retrying with backoff");
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
  }

  /** Lists this node's slices into the cache (replacing it); returns the list's resourceVersion. */
  private String list() throws IOException {
    try (InputStream in = get(query(null)); JsonParser p = decoder.parser(in)) {
      SliceDecoder.SliceList list = decoder.list(p);
      cache.replaceAll(list.slices());
      synced = true;
      deliverIfChanged();
      return list.resourceVersion();
    } finally {
      open = null;
    }
  }

  /** Watches from {@code rv} until the stream ends; returns the last resourceVersion seen. */
  private String watch(String rv) throws IOException {
    try (InputStream in = get(query(rv))) {
      watching = true; // the parser below waits for the first event's bytes
      try (JsonParser p = decoder.parser(in)) {
        for (SliceDecoder.Event e = decoder.event(p); e != null; e = decoder.event(p)) {
          switch (e.type()) {
            case "ADDED", "MODIFIED" -> cache.put(e.slice());
            case "DELETED" -> cache.remove(e.slice().getMetadata().getName());
            case "BOOKMARK" -> { }
            case "ERROR" -> {
              if (e.code() == 410) {
                throw new Gone(e.message());
              }
              throw new IOException("watch error " + e.code() + ": " + e.message());
            }
            default -> throw new IOException("unknown watch event type " + e.type());
          }
          if (e.resourceVersion() != null) {
            rv = e.resourceVersion();
          }
          if (e.slice() != null) {
            deliverIfChanged();
          }
        }
      }
      return rv;
    } finally {
      watching = false;
      open = null;
    }
  }

  private String query(String watchFrom) {
    String selector = URLEncoder.encode(NodeSlices.NODE_LABEL + "=" + NodeSlices.labelValue(nodeName),
        StandardCharsets.UTF_8);
    String q = "?labelSelector=" + selector;
    if (watchFrom != null) {
      // the server ends a watch after this; a spread keeps many agents from reconnecting together
      int timeout = 300 + ThreadLocalRandom.current().nextInt(300);
      q += "&watch=true&allowWatchBookmarks=true&timeoutSeconds=" + timeout + "&resourceVersion="
          + URLEncoder.encode(watchFrom, StandardCharsets.UTF_8);
    }
    return q;
  }

  /** A GET of this node's slices, its body open; a failure's status as an exception (410 as {@link Gone}). */
  private InputStream get(String query) throws IOException {
    InputStream body;
    try {
      body = client.get(PATH + query);
    } catch (ApiException e) {
      if (e.code() == 410) {
        throw new Gone(e.getMessage());
      }
      throw new IOException(e.getMessage(), e);
    }
    open = body;
    if (closed) {
      body.close();
    }
    return body;
  }

  /**
   * Passes the current slices on if the first list completed and they differ from the last ones
   * passed on (in names, generations or specs). Cheap when nothing changed; the agent also calls it
   * on its resync timer.
   */
  public void deliverIfChanged() {
    synchronized (deliveryLock) {
      if (!synced || closed) {
        return;
      }
      List<LvsNodeState> slices = slices();
      List<Key> keys = slices.stream()
          .map(s -> new Key(s.getMetadata().getName(), s.getMetadata().getGeneration(), s.getSpec())).toList();
      if (keys.equals(delivered)) {
        return;
      }
      delivered = keys;
      LOG.atInfo().addKeyValue("node", nodeName)
          .addKeyValue("slices", keys.stream().map(k -> k.name() + "@" + k.generation()).toList())
          .log("node state changed");
      listener.onSlices(slices);
    }
  }

  /** This node's slices in the cache, sorted by name (kept while the API server is unreachable). */
  public List<LvsNodeState> slices() {
    return cache.values().stream()
        .filter(s -> nodeName.equals(NodeSlices.nodeOf(s)))
        .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
        .toList();
  }

  /** One of this node's slices as last seen, by name. */
  public Optional<LvsNodeState> latest(String name) {
    return Optional.ofNullable(cache.get(name)).filter(s -> nodeName.equals(NodeSlices.nodeOf(s)));
  }

  /** True once the first list succeeded. */
  public boolean hasSynced() {
    return synced;
  }

  /** True while a watch is open. */
  public boolean isWatching() {
    return watching;
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = thread;
    }
    InputStream in = open;
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // closing is all we wanted
      }
    }
    if (t != null) {
      t.interrupt();
    }
  }
}
