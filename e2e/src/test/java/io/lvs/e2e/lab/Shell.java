package io.lvs.e2e.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion and captures its output. The harness builds the lab topology with
 * iproute2 and reads the kernel back with Debian's ipvsadm / ip / sysctl through it (the product
 * itself never shells out).
 */
public final class Shell {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private Shell() {}

  /** What a finished command printed and returned. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** The stdout, or an exception naming the command, its exit code and its stderr. */
    public String orThrow() {
      if (exitCode != 0) {
        throw new IllegalStateException(
            "command " + String.join(" ", command) + " exited " + exitCode + ": " + stderr.strip() + " " + stdout.strip());
      }
      return stdout;
    }
  }

  public static Result run(List<String> command) {
    return run(DEFAULT_TIMEOUT, command);
  }

  public static Result run(Duration timeout, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
    try {
      p.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("command " + String.join(" ", command) + " timed out after " + timeout);
      }
      return new Result(List.copyOf(command), p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }

  /** Runs and returns stdout; fails on a non-zero exit. */
  public static String ok(String... command) {
    return run(List.of(command)).orThrow();
  }

  /** Runs a command inside a network namespace (ip netns exec). */
  public static Result inNs(String ns, String... command) {
    return run(nsCommand(ns, command));
  }

  /** ip netns exec NS COMMAND... as a list. */
  public static List<String> nsCommand(String ns, String... command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(List.of(command));
    return cmd;
  }

  /** Runs a shell snippet (sh -c) inside a network namespace. */
  public static Result shInNs(String ns, String script) {
    return inNs(ns, "sh", "-c", script);
  }

  // a thread per stream, not the common pool: with 2 CPUs it has one worker, and a blocking read
  // there would stall every other command
  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                text.complete("");
              }
            },
            "shell-drain");
    t.setDaemon(true);
    t.start();
    return text;
  }
}
