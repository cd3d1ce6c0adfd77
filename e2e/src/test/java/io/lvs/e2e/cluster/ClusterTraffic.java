package io.lvs.e2e.cluster;

import io.lvs.e2e.lab.Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Requests from the client network outside the cluster (namespace {@code client}, 198.18.2.100)
 * to a VIP, one new TCP connection each (busybox nc, HTTP/1.0). The loop runs in the VM and
 * writes one line per request ("ok POD" or "fail") into the run directory, which this host reads
 * directly: no round trip through the command channel per request.
 */
public final class ClusterTraffic {
  private ClusterTraffic() {}

  /** {@code count} requests one after another; returns when all are done. */
  public static Client.Tally requests(ClusterLane lane, String vip, int port, int count) {
    String out = lane.vm(Duration.ofSeconds(30L + 6L * count), "cd /tmp; n=0; while [ $n -lt " + count + " ]; do "
        + request(vip, port) + "; n=$((n+1)); done").orThrow();
    return tally(out.lines().toList());
  }

  /** A loop that runs until closed, with a short pause between requests. */
  public static Loop loop(ClusterLane lane, String name, String vip, int port) {
    return new Loop(lane, name, vip, port);
  }

  private static String request(String vip, int port) {
    // timeout bounds the whole request (then it counts as failed); the answer's last line is the pod's name
    return "r=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | ip netns exec client busybox timeout 5 busybox nc -w 2 " + vip
        + " " + port + " 2>/dev/null); case \"$r\" in 'HTTP/1.'?' 200 '*) echo \"ok $(echo \"$r\" | tail -1)\";;"
        + " *) echo fail;; esac";
  }

  static Client.Tally tally(List<String> lines) {
    return Client.Tally.of(lines.stream().filter(l -> !l.isBlank())
        .map(l -> l.startsWith("ok ") ? new Client.Response(Instant.now(), true, l.substring(3).strip())
            : new Client.Response(Instant.now(), false, ""))
        .toList());
  }

  /** A running request loop in the VM. */
  public static final class Loop implements AutoCloseable {
    private final ClusterLane lane;
    private final Path log;
    private final Path stop;

    Loop(ClusterLane lane, String name, String vip, int port) {
      this.lane = lane;
      this.log = lane.run().resolve("loops/" + name + ".log");
      this.stop = lane.run().resolve("loops/" + name + ".stop");
      try {
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        Files.deleteIfExists(stop);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      lane.vm(Duration.ofSeconds(60), "(while [ ! -f " + stop + " ]; do " + request(vip, port) + " >> " + log
          + "; sleep 0.2; done; echo done >> " + log + ".end) > /dev/null 2>&1 &").orThrow();
    }

    /** The outcomes so far. */
    public Client.Tally tally() {
      try {
        return Files.exists(log) ? ClusterTraffic.tally(Files.readAllLines(log)) : new Client.Tally(0, 0, java.util.Map.of());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Stops the loop and waits for its last request. */
    @Override
    public void close() {
      try {
        Files.writeString(stop, "stop");
        Path end = Path.of(log + ".end");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(end) && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
