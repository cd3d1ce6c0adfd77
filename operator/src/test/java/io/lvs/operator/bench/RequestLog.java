package io.lvs.operator.bench;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the operator client's API requests by method and resource (watches apart), with their
 * send times, so a benchmark can say where the API server's time went.
 */
final class RequestLog implements Interceptor {
  record Sent(long nanos, String kind) {}

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String kind = kind(request.method(), request.uri().getPath(), request.uri().getQuery());
    counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
    sent.add(new Sent(System.nanoTime(), kind));
  }

  /** "PATCH virtualservices/status", "GET leases (watch)": the resource plural and subresource. */
  static String kind(String method, String path, String query) {
    String[] seg = path.split("/");
    int i = seg.length - 1;
    String sub = "";
    // .../<plural>[/<name>[/<subresource>]]; namespaces/<ns> is a prefix, not the resource
    int start = path.startsWith("/api/") ? 3 : 4;
    if (seg.length > start + 1 && "namespaces".equals(seg[start]) && seg.length > start + 2) {
      start += 2;
    }
    String plural = seg.length > start ? seg[start] : path;
    if (i >= start + 2) {
      sub = "/" + seg[start + 2];
    }
    boolean watch = query != null && query.contains("watch=true");
    return method + " " + plural + sub + (watch ? " (watch)" : "");
  }

  Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Requests per kind in windows of {@code windowNanos} from {@code t0}. */
  Map<Long, Map<String, Integer>> timeline(long t0, long windowNanos) {
    Map<Long, Map<String, Integer>> out = new TreeMap<>();
    for (Sent s : sent) {
      if (s.nanos() >= t0) {
        out.computeIfAbsent((s.nanos() - t0) / windowNanos, k -> new TreeMap<>()).merge(s.kind(), 1, Integer::sum);
      }
    }
    return out;
  }
}
