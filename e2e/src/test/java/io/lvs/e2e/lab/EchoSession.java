package io.lvs.e2e.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One long-lived TCP session from the client to VIP:port (socat), a numbered line written every
 * {@code period} and its echo recorded: an established connection that must keep flowing across a
 * failover. The echo servers are {@link #startServers}.
 */
public final class EchoSession implements AutoCloseable {
  public static final int PORT = 7;
  private final Process process;
  private final List<Instant> echoes = new ArrayList<>();
  private final Thread reader;
  private final Thread writer;
  private volatile boolean writeFailed;

  private final int clientPort;

  private EchoSession(String vip, Duration period, int clientPort) {
    this.clientPort = clientPort;
    try {
      // a fixed source port names this session's entry in ipvsadm -Lnc among earlier sessions' leftovers
      process = new ProcessBuilder(Shell.nsCommand(LabNetwork.CLIENT_NS, "socat", "-",
              "TCP:" + vip + ":" + PORT + ",sourceport=" + clientPort + ",reuseaddr"))
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start socat in the client namespace", e);
    }
    reader = new Thread(this::read, "echo-read");
    reader.setDaemon(true);
    reader.start();
    writer = new Thread(() -> write(period), "echo-write");
    writer.setDaemon(true);
    writer.start();
  }

  /** A session from the client's {@code clientPort} (each session its own port). */
  public static EchoSession open(String vip, Duration period, int clientPort) {
    return new EchoSession(vip, period, clientPort);
  }

  public int clientPort() {
    return clientPort;
  }

  /** A forking line echo (socat EXEC:cat) on port 7 of each node, kept by the lab's process list. */
  public static List<LabProcess> startServers(List<LabNode> nodes, java.nio.file.Path logs) {
    return nodes.stream().map(n -> new LabProcess("echo/" + n.name(),
        Shell.nsCommand(n.ns(), "socat", "TCP-LISTEN:" + PORT + ",fork,reuseaddr", "EXEC:cat"), java.util.Map.of(),
        logs.resolve("echo-" + n.name() + ".log")).start()).toList();
  }

  private void write(Duration period) {
    OutputStream out = process.getOutputStream();
    for (int i = 0; process.isAlive(); i++) {
      try {
        out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        writeFailed = true;
        return;
      }
      ApiServer.sleep(period);
    }
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("line ")) {
          synchronized (echoes) {
            echoes.add(Instant.now());
          }
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  /** Echoes received after {@code t}. */
  public long echoesAfter(Instant t) {
    synchronized (echoes) {
      return echoes.stream().filter(e -> e.isAfter(t)).count();
    }
  }

  /** When the last echo arrived. */
  public java.util.Optional<Instant> lastEcho() {
    synchronized (echoes) {
      return echoes.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(echoes.get(echoes.size() - 1));
    }
  }

  public boolean alive() {
    return process.isAlive() && !writeFailed;
  }

  /** Waits until {@code n} echoes arrived after {@code t}; false when the session died or the time ran out. */
  public boolean awaitEchoes(Instant t, long n, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (echoesAfter(t) >= n) {
        return true;
      }
      if (!process.isAlive()) {
        return false;
      }
      ApiServer.sleep(Duration.ofMillis(100));
    }
    return echoesAfter(t) >= n;
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }
}
