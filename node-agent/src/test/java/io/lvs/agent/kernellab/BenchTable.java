package io.lvs.agent.kernellab;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Rows of a kernel benchmark: per named method, each round's wall time and CPU time (user +
 * system, so the kernel's work in the caller's context counts), printed as min / median / max.
 * Test helper: reads /proc, runs children through {@link Oracle}.
 */
public final class BenchTable {
  private static final double TICK_MS = 10; // USER_HZ = 100 on Linux
  private final int services;
  private final int dests;
  private final Map<String, List<double[]>> rows = new LinkedHashMap<>();
  private final StringBuilder notes = new StringBuilder();

  public BenchTable(int services, int dests) {
    this.services = services;
    this.dests = dests;
  }

  public interface Body {
    void run() throws Exception;
  }

  /** One round of an in-process method: wall and this process's CPU. */
  public void time(String name, Body body) throws Exception {
    long[] cpu0 = selfCpuTicks();
    long t0 = System.nanoTime();
    body.run();
    double wall = (System.nanoTime() - t0) / 1e6;
    long[] cpu1 = selfCpuTicks();
    double user = (cpu1[0] - cpu0[0]) * TICK_MS;
    double sys = (cpu1[1] - cpu0[1]) * TICK_MS;
    rows.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {wall, user + sys, sys});
  }

  /** One round of a command in a namespace, timed inside a shell: its wall and its CPU (the shell's cutime+cstime). */
  public void child(String name, String netns, String command) {
    String script = "a=$(date +%s%N); " + command + " >/dev/null; b=$(date +%s%N); echo $((b-a)); cat /proc/$$/stat";
    String[] lines = Oracle.in(netns, "sh", "-c", script).strip().split("\n");
    double wall = Long.parseLong(lines[0].strip()) / 1e6;
    String[] f = lines[1].substring(lines[1].lastIndexOf(')') + 2).split(" ");
    // after "(comm) ": f[0] is field 3 (state); cutime, cstime are fields 16, 17
    double sys = Long.parseLong(f[14]) * TICK_MS;
    double cpu = Long.parseLong(f[13]) * TICK_MS + sys;
    rows.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {wall, cpu, sys});
  }

  public void note(String what, double value) {
    notes.append(String.format(Locale.ROOT, "- %s: %,.1f%n", what, value));
  }

  /** A ratio, to two places: a goal such as 0.5 is judged on it. */
  public void ratio(String what, double value) {
    notes.append(String.format(Locale.ROOT, "- %s: %.2f%n", what, value));
  }

  /** RSS, heap after GC, and (with -XX:NativeMemoryTracking=summary) the JVM's own accounting. */
  public void memory() throws Exception {
    System.gc();
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    String status = Files.readString(Path.of("/proc/self/status"));
    notes.append("- heap used after GC: ").append(heap.getUsed() >> 20).append(" MiB (committed ")
        .append(heap.getCommitted() >> 20).append(" MiB)\n");
    status.lines().filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM") || l.startsWith("RssAnon"))
        .forEach(l -> notes.append("- ").append(l.replaceAll("\\s+", " ")).append('\n'));
    notes.append("```\n").append(dcmd("gcClassHistogram").lines().limit(18).reduce("", (a, b) -> a + b + "\n"));
    notes.append(dcmd("vmNativeMemory", "summary")).append("```\n");
  }

  private static String dcmd(String op, String... args) {
    try {
      return (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), op, new Object[] {args},
          new String[] {String[].class.getName()});
    } catch (Exception e) {
      return op + ": " + e + "\n";
    }
  }

  /** This process's {utime, stime} in ticks (fields 14, 15 of /proc/self/stat). */
  public static long[] selfCpuTicks() throws IOException {
    String s = Files.readString(Path.of("/proc/self/stat"));
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  public String render() throws IOException {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%,d services x %d destinations, %d rounds; guest loadavg %s%n%n", services, dests,
        rows.values().stream().mapToInt(List::size).max().orElse(0), Files.readString(Path.of("/proc/loadavg")).strip()));
    out.append("| method | wall min / median / max (ms) | CPU (user+sys) min / median / max (ms) | of which sys, median |"
        + "\n|---|---|---|---|\n");
    rows.forEach((name, v) -> out.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f |%n", name, mmm(v, 0), mmm(v, 1),
        median(v, 2))));
    out.append('\n').append(notes);
    return out.toString();
  }

  static double median(List<double[]> v, int col) {
    double[] x = v.stream().mapToDouble(a -> a[col]).sorted().toArray();
    return x[x.length / 2];
  }

  private static String mmm(List<double[]> v, int col) {
    double[] x = v.stream().mapToDouble(a -> a[col]).sorted().toArray();
    return String.format(Locale.ROOT, "%,.0f / %,.0f / %,.0f", x[0], x[x.length / 2], x[x.length - 1]);
  }

  public void write(Path file) throws IOException {
    String s = render();
    System.out.print(s);
    Files.createDirectories(file.getParent());
    Files.writeString(file, s);
  }

  /** Median of a column (0 wall, 1 CPU, 2 sys) of a row. */
  public double median(String name, int col) {
    return median(rows.get(name), col);
  }
}
