package io.lvs.agent.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * /healthz (liveness), /readyz (readiness) and /metrics (Prometheus text) on one port, plus any
 * read-only text views added with {@link #textRoute}. A check answers 200 "ok" or 503 with the
 * reason it is failing.
 */
public final class AgentHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * @param liveProblem empty when alive, else why not
   * @param readyProblem empty when ready, else why not
   */
  public AgentHttpServer(int port, Supplier<Optional<String>> liveProblem, Supplier<Optional<String>> readyProblem,
      PrometheusMeterRegistry registry) throws IOException {
    this(port, liveProblem, readyProblem, (Scrape) registry::scrape);
  }

  /** What /metrics writes: the Prometheus text format, to a stream the server closes. */
  @FunctionalInterface
  public interface Scrape {
    void writeTo(OutputStream out) throws IOException;
  }

  public AgentHttpServer(int port, Supplier<Optional<String>> liveProblem, Supplier<Optional<String>> readyProblem,
      Scrape scrape) throws IOException {
    Objects.requireNonNull(scrape, "scrape");
    server = HttpServer.create(new InetSocketAddress(port), 16);
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "agent-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/healthz", ex -> check(ex, liveProblem.get()));
    server.createContext("/readyz", ex -> check(ex, readyProblem.get()));
    server.createContext("/metrics", ex -> {
      if (!"GET".equals(ex.getRequestMethod())) {
        send(ex, 405, "text/plain; charset=utf-8", "GET only\n");
        return;
      }
      // streamed, chunked: at 10,000 services the text is ~10 MB, and as one String it was grown,
      // copied and encoded per scrape, three transient copies of it on the heap
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 1 << 16)) {
        scrape.writeTo(out);
      }
    });
  }

  /**
   * A GET-only text view at {@code path}, given the query parameters. Bad input (an
   * IllegalArgumentException) answers 400 with its message, any other failure 500 with its message.
   */
  public void textRoute(String path, Function<Map<String, String>, String> view) {
    server.createContext(path, ex -> {
      if (!"GET".equals(ex.getRequestMethod())) {
        send(ex, 405, "text/plain; charset=utf-8", "GET only\n");
        return;
      }
      String body;
      int code = 200;
      try {
        body = view.apply(query(ex.getRequestURI().getRawQuery()));
      } catch (IllegalArgumentException e) {
        code = 400;
        body = e.getMessage() + "\n";
      } catch (RuntimeException e) {
        code = 500;
        body = (e.getMessage() == null ? e.toString() : e.getMessage()) + "\n";
      }
      send(ex, code, "text/plain; charset=utf-8", body);
    });
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  public void start() {
    server.start();
  }

  /** The port it listens on (the chosen one when constructed with 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void check(HttpExchange ex, Optional<String> problem) throws IOException {
    if (problem.isEmpty()) {
      send(ex, 200, "text/plain; charset=utf-8", "ok\n");
    } else {
      send(ex, 503, "text/plain; charset=utf-8", problem.get() + "\n");
    }
  }

  private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
