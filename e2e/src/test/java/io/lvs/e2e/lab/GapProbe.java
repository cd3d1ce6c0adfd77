package io.lvs.e2e.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request loop through a VIP, run by one Python process in the client namespace: it stamps each
 * answer with the VM's boot-time clock (what /proc/uptime shows), so a harness JVM reading lines
 * late does not misplace the gap. A request not answered within {@link #GIVE_UP} is abandoned and
 * the next one starts {@link #PAUSE} later. One process, not a shell loop: a shell forks four
 * processes per request, and under emulation each fork can take 0.2 s, which made the loop's own
 * resolution ~0.8 s (a client then saw the service back up to that much later than it was).
 */
public final class GapProbe implements AutoCloseable {
  /** One request: its end on the uptime clock (seconds) and whether it was answered. */
  public record Answer(double at, boolean ok) {}

  /** Seconds a request may take before the loop gives it up. */
  static final double GIVE_UP = 0.5;
  /** Seconds between the end of one request and the start of the next. */
  static final double PAUSE = 0.05;
  private static final String LOOP = String.join("\n",
      "import socket, sys, time",
      "vip, port, give_up, pause = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])",
      "while True:",
      "    deadline = time.monotonic() + give_up",
      "    data = b''",
      "    try:",
      "        with socket.create_connection((vip, port), timeout=give_up) as s:",
      "            s.sendall(b'GET / HTTP/1.0\\r\\n\\r\\n')",
      "            while True:",
      "                s.settimeout(max(0.001, deadline - time.monotonic()))",
      "                chunk = s.recv(4096)",
      "                if not chunk:",
      "                    break",
      "                data += chunk",
      "    except OSError:",
      "        pass",
      "    ok = data.startswith(b'HTTP/1.') and data[9:12] == b'200'",
      "    print(('ok ' if ok else 'fail ') + '%.3f' % time.clock_gettime(time.CLOCK_BOOTTIME), flush=True)",
      "    time.sleep(pause)");
  private final Process process;
  private final List<Answer> answers = new ArrayList<>();
  private final Thread reader;

  public GapProbe(String vip, int port) {
    try {
      process = new ProcessBuilder(Shell.nsCommand(LabNetwork.CLIENT_NS, "python3", "-u", "-c", LOOP, vip,
          Integer.toString(port), Double.toString(GIVE_UP), Double.toString(PAUSE))).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the gap probe", e);
    }
    reader = new Thread(this::read, "gap-probe-" + vip);
    reader.setDaemon(true);
    reader.start();
  }

  /** The VM's uptime now, on the probe's clock. */
  public static double uptime() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split(" ");
        if (f.length == 2 && (f[0].equals("ok") || f[0].equals("fail"))) {
          synchronized (answers) {
            answers.add(new Answer(Double.parseDouble(f[1]), f[0].equals("ok")));
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      // stopped
    }
  }

  public List<Answer> answers() {
    synchronized (answers) {
      return List.copyOf(answers);
    }
  }

  /**
   * What a client saw missing since {@code t}: the longest time between two consecutive answered
   * requests, the later one after {@code t}. Not just the pair around {@code t}: a node's death
   * takes a while to stage (the agent killed, then the link), and the old holder answers meanwhile.
   */
  public Optional<Duration> largestGapSince(double t) {
    return largestGapSince(answers(), t);
  }

  static Optional<Duration> largestGapSince(List<Answer> answers, double t) {
    List<Answer> ok = answers.stream().filter(Answer::ok).toList();
    Optional<Double> gap = Optional.empty();
    for (int i = 1; i < ok.size(); i++) {
      if (ok.get(i).at() > t) {
        double d = ok.get(i).at() - ok.get(i - 1).at();
        gap = Optional.of(Math.max(d, gap.orElse(0.0)));
      }
    }
    return gap.map(d -> Duration.ofMillis(Math.round(d * 1000)));
  }

  /** When the last request answered at or before {@code t} ended. */
  public Optional<Double> lastAnsweredAtOrBefore(double t) {
    return answers().stream().filter(a -> a.ok() && a.at() <= t).map(Answer::at).reduce((a, b) -> b);
  }

  /** When the first request answered after {@code t} ended. */
  public Optional<Double> firstAnsweredAfter(double t) {
    return answers().stream().filter(a -> a.ok() && a.at() > t).map(Answer::at).findFirst();
  }

  /** Whether a request ended answered after {@code t}. */
  public boolean answeredAfter(double t) {
    return answers().stream().anyMatch(a -> a.ok() && a.at() > t);
  }

  public long failed() {
    return answers().stream().filter(x -> !x.ok()).count();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }
}
