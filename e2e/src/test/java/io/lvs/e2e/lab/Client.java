package io.lvs.e2e.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The client host: HTTP/1.0 requests to a VIP from the client namespace with busybox nc, one new TCP
 * connection each (so the scheduler decides every time). A request either returns the serving
 * node's name or fails.
 */
public final class Client {
  /** One request's outcome: the real server that answered, or a failure. */
  public record Response(Instant at, boolean ok, String server) {}

  /** Summary of many requests. */
  public record Tally(int total, int failed, Map<String, Integer> byServer) {
    public static Tally of(List<Response> responses) {
      Map<String, Integer> by = new TreeMap<>();
      int failed = 0;
      for (Response r : responses) {
        if (r.ok()) {
          by.merge(r.server(), 1, Integer::sum);
        } else {
          failed++;
        }
      }
      return new Tally(responses.size(), failed, by);
    }

    public int count(String server) {
      return byServer.getOrDefault(server, 0);
    }
  }

  private Client() {}

  /** Sends requests from the remote client address (198.18.2.100) to this VIP from now on. */
  public static void sourceFromRemoteAddress(String vip) {
    Shell.ok("ip", "-n", LabNetwork.CLIENT_NS, "route", "replace", vip + "/32", "dev", "eth0",
        "src", LabNetwork.REMOTE_CLIENT_ADDRESS);
  }

  public static void sourceFromLocalAddress(String vip) {
    Shell.inNs(LabNetwork.CLIENT_NS, "ip", "route", "del", vip + "/32");
  }

  /** {@code count} requests one after another; returns when all are done. */
  public static List<Response> requests(String vip, int port, int count) {
    List<Response> out = new ArrayList<>();
    try (Loop loop = new Loop(vip, port, count, Duration.ZERO, r -> {})) {
      loop.awaitEnd(Duration.ofSeconds(30L + 2L * count));
      out.addAll(loop.responses());
    }
    if (out.size() != count) {
      throw new IllegalStateException("request loop to " + vip + ":" + port + " gave " + out.size() + " of " + count + " answers");
    }
    return out;
  }

  /** One request. */
  public static Response request(String vip, int port) {
    return requests(vip, port, 1).get(0);
  }

  /** A loop that runs until closed, with a pause between requests. */
  public static Loop continuous(String vip, int port, Duration pause, Consumer<Response> listener) {
    return new Loop(vip, port, 0, pause, listener);
  }

  /** A running request loop in the client namespace. */
  public static final class Loop implements AutoCloseable {
    private final Process process;
    private final List<Response> responses = new ArrayList<>();
    private final Thread reader;

    Loop(String vip, int port, int count, Duration pause, Consumer<Response> listener) {
      String sleep = pause.isZero() ? "" : "sleep " + (pause.toMillis() / 1000.0) + ";";
      // busybox nc, not curl: a static binary starts in a fraction of curl's time under emulation
      // (curl loads libcurl and OpenSSL), so the loop measures the service, not the client. nc's
      // -w bounds only the connect; timeout bounds the whole request (then it counts as failed).
      String script =
          "nl='\n'; n=" + count + "; i=0; while [ \"$n\" -eq 0 ] || [ \"$i\" -lt \"$n\" ]; do"
              + " r=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox timeout 5 busybox nc -w 2 " + vip + " " + port + " 2>/dev/null);"
              + " case \"$r\" in 'HTTP/1.'?' 200 '*) echo \"ok ${r##*\"$nl\"}\";; *) echo fail;; esac;"
              + " i=$((i+1)); " + sleep + " done";
      try {
        process = new ProcessBuilder(Shell.nsCommand(LabNetwork.CLIENT_NS, "sh", "-c", script))
            .redirectErrorStream(true)
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the request loop", e);
      }
      reader = new Thread(() -> read(listener), "client-loop-" + vip);
      reader.setDaemon(true);
      reader.start();
    }

    private void read(Consumer<Response> listener) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          Response r = line.startsWith("ok ")
              ? new Response(Instant.now(), true, line.substring(3).strip())
              : new Response(Instant.now(), false, "");
          synchronized (responses) {
            responses.add(r);
          }
          listener.accept(r);
        }
      } catch (IOException e) {
        // the loop was stopped: nothing more to read
      }
    }

    public List<Response> responses() {
      synchronized (responses) {
        return List.copyOf(responses);
      }
    }

    public Tally tally() {
      return Tally.of(responses());
    }

    /** Waits until at least {@code n} requests have completed. */
    public void awaitAtLeast(int n, Duration timeout) {
      Instant deadline = Instant.now().plus(timeout);
      while (responses().size() < n) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("request loop: only " + responses().size() + " of " + n + " requests after " + timeout);
        }
        ApiServer.sleep(Duration.ofMillis(100));
      }
    }

    void awaitEnd(Duration timeout) {
      try {
        reader.join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      // the shell first: killing the wget in flight first would make the shell report a failure
      // that the stop itself caused
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      children.forEach(ProcessHandle::destroy);
      awaitEnd(Duration.ofSeconds(5));
    }
  }
}
