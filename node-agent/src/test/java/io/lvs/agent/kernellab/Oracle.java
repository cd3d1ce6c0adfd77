package io.lvs.agent.kernellab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent oracles (Debian's ipvsadm, iproute2, sysctl, nft) in the kernel-lab VM.
 * Tests only: the product never shells out.
 */
public final class Oracle {
  private Oracle() {}

  /** The command's stdout; a non-zero exit fails with its stderr. */
  public static String run(String... cmd) {
    Result r = exec(cmd);
    if (r.exit() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.stderr() + r.stdout());
    }
    return r.stdout();
  }

  /** The command's output in the named network namespace. */
  public static String in(String netns, String... cmd) {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", netns));
    c.addAll(Arrays.asList(cmd));
    return run(c.toArray(String[]::new));
  }

  /** Feeds {@code stdin} to the command; returns stdout. */
  public static String withInput(String stdin, String... cmd) {
    Result r = execWithInput(stdin, cmd);
    if (r.exit() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.stderr());
    }
    return r.stdout();
  }

  public record Result(int exit, String stdout, String stderr) {}

  public static Result exec(String... cmd) {
    return execWithInput(null, cmd);
  }

  public static Result execWithInput(String stdin, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      // stderr is small; stdout may be large (ipvsadm -S of 10k lines): drain it concurrently
      StringBuilder err = new StringBuilder();
      Thread t = new Thread(() -> err.append(read(p.getErrorStream())));
      t.start();
      String out = read(p.getInputStream());
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", cmd) + " timed out");
      }
      t.join();
      return new Result(p.exitValue(), out, err.toString());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + String.join(" ", cmd), e);
    }
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A fresh network namespace with lo up (deleted first if a previous run left it). */
  public static void freshNetns(String name) {
    exec("ip", "netns", "del", name);
    run("ip", "netns", "add", name);
    in(name, "ip", "link", "set", "lo", "up");
  }

  /**
   * Waits until {@code dev} in {@code netns} is operationally up. Until the kernel's link watch
   * activates a device whose carrier came up (up to a second later) its queue drops every frame,
   * so a single announcement sent in that window is lost: what a test sends must wait for this.
   */
  public static void awaitOperUp(String netns, String dev) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (in(netns, "ip", "-o", "link", "show", "dev", dev).contains(" state UP ")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(dev + " in " + netns + " not operationally up after 10 s: "
        + in(netns, "ip", "-o", "link", "show", "dev", dev));
  }

  public static void deleteNetns(String name) {
    exec("ip", "netns", "del", name);
  }
}
