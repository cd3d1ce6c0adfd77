package io.lvs.e2e.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seeds' real-server web pages: busybox httpd in each real-server namespace, answering with
 * the node's name, so every response says which real server served it.
 */
public final class WebServers {
  public static final int PORT = 80;

  private final Path root;
  private final Path logs;
  private final Map<String, LabProcess> servers = new LinkedHashMap<>();

  public WebServers(Path root, Path logs) {
    this.root = root;
    this.logs = logs;
  }

  public void start(LabNode node) {
    Path docroot = root.resolve(node.name());
    try {
      Files.createDirectories(docroot);
      Files.writeString(docroot.resolve("index.html"), node.name() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LabProcess p =
        servers.computeIfAbsent(
            node.name(),
            n ->
                new LabProcess(
                    "httpd/" + n,
                    Shell.nsCommand(node.ns(), "busybox", "httpd", "-f", "-p", Integer.toString(PORT), "-h", docroot.toString()),
                    Map.of(),
                    logs.resolve("httpd-" + n + ".log")));
    p.start();
    awaitListening(node, Duration.ofSeconds(20));
  }

  /** Kills the node's web server: the real server is down, the node and its agent are not. */
  public void kill(String nodeName) {
    servers.get(nodeName).kill9();
  }

  public void restart(LabNode node) {
    start(node);
  }

  public void stopAll() {
    servers.values().forEach(p -> p.stop(Duration.ofSeconds(2)));
  }

  public List<String> nodes() {
    return List.copyOf(servers.keySet());
  }

  private static void awaitListening(LabNode node, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      Shell.Result r = Shell.inNs(node.ns(), "curl", "-s", "-m", "2", "http://" + node.address() + ":" + PORT + "/");
      if (r.ok() && r.stdout().strip().equals(node.name())) {
        return;
      }
      ApiServer.sleep(Duration.ofMillis(200));
    }
    throw new IllegalStateException("httpd on " + node.name() + " not answering on " + node.address() + ":" + PORT);
  }
}
