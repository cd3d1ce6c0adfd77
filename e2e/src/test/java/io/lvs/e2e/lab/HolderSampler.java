package io.lvs.e2e.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples every ~100 ms which directors hold a VIP on eth0, in one shell loop (a process start
 * per sample from Java would cost more than the period under emulation).
 */
public final class HolderSampler implements AutoCloseable {
  /** One sample: when, and the directors that held the VIP then. */
  public record Sample(Instant at, List<String> holders) {}

  private final Process process;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread reader;

  public HolderSampler(String vip, List<String> directors) {
    StringBuilder body = new StringBuilder();
    for (String d : directors) {
      body.append("case \"$(ip -n ").append(d).append(" -o -4 addr show dev eth0)\" in *' ").append(vip)
          .append("/'*) l=\"$l ").append(d).append("\";; esac; ");
    }
    String script = "while :; do l=''; " + body + "echo \"s$l\"; sleep 0.1; done";
    try {
      process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the holder sampler", e);
    }
    reader = new Thread(this::read, "holder-sampler-" + vip);
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("s")) {
          List<String> h = line.length() > 1 ? List.of(line.substring(1).strip().split(" ")) : List.of();
          synchronized (samples) {
            samples.add(new Sample(Instant.now(), h));
          }
        }
      }
    } catch (IOException e) {
      // stopped
    }
  }

  public List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** The samples in which two or more directors held the VIP. */
  public List<Sample> splitBrains() {
    return samples().stream().filter(s -> s.holders().size() > 1).toList();
  }

  /** The first sample at or after {@code from} in which {@code director} no longer held the VIP. */
  public java.util.Optional<Instant> firstWithout(String director, Instant from) {
    return samples().stream().filter(s -> !s.at().isBefore(from) && !s.holders().contains(director))
        .map(Sample::at).findFirst();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
