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
 * A request loop that stamps each answer with the VM's /proc/uptime read by the shell itself
 * (a builtin read, no process): under a loaded emulator the harness JVM may read a line seconds
 * after it was written, so times taken in Java would misplace the gap. A request not answered
 * within {@link #GIVE_UP} is abandoned and the next one starts 0.1 s later, so the loop sees the
 * service back within about 0.6 s of its return (busybox's own timeouts count whole seconds; a
 * client left to the kernel's SYN retransmit, 1 s then 2 s, may see up to one retransmit more).
 */
public final class GapProbe implements AutoCloseable {
  /** One request: its end on the uptime clock (seconds) and whether it was answered. */
  public record Answer(double at, boolean ok) {}

  /** Seconds a request may take before the loop gives it up. */
  static final String GIVE_UP = "0.5";
  private final Process process;
  private final List<Answer> answers = new ArrayList<>();
  private final Thread reader;

  public GapProbe(String vip, int port) {
    // the killer's stdout is not the substitution's, so an answered request does not wait for it
    String script = "while :; do r=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 1 " + vip + " " + port
        + " 2>/dev/null & p=$!; (busybox sleep " + GIVE_UP + "; kill $p) >/dev/null 2>&1 & wait $p);"
        + " read up _ </proc/uptime; case \"$r\" in 'HTTP/1.'?' 200 '*) echo \"ok $up\";; *) echo \"fail $up\";; esac;"
        + " sleep 0.1; done";
    try {
      process = new ProcessBuilder(Shell.nsCommand(LabNetwork.CLIENT_NS, "sh", "-c", script)).redirectErrorStream(true).start();
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
