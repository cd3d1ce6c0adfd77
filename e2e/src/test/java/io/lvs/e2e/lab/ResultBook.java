package io.lvs.e2e.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's record: one row per scenario (pass/fail, wall time, the figures it measured) and
 * named series of durations (convergence after a change, recovery after each fault) summarised
 * as p50/p99. Printed as a table at the end of the run and written as Markdown.
 */
public final class ResultBook {
  public enum Outcome {
    PASSED,
    FAILED
  }

  public record Row(String name, Outcome outcome, Duration duration, List<String> figures, String failure) {}

  private final List<Row> rows = new ArrayList<>();
  private final Map<String, List<Duration>> series = new LinkedHashMap<>();
  private final List<String> current = new ArrayList<>();

  /** A figure the running scenario measured ("OutPkts at director: 0"). */
  public synchronized void figure(String text) {
    current.add(text);
  }

  /** One measurement of a named series, also noted as a figure of the running scenario. */
  public synchronized void sample(String seriesName, Duration d) {
    series.computeIfAbsent(seriesName, k -> new ArrayList<>()).add(d);
  }

  public synchronized void record(String name, Outcome outcome, Duration duration, String failure) {
    rows.add(new Row(name, outcome, duration, List.copyOf(current), failure));
    current.clear();
  }

  public synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  public synchronized List<Duration> series(String name) {
    return List.copyOf(series.getOrDefault(name, List.of()));
  }

  /** Nearest-rank percentile (p in 0..100) of a non-empty list. */
  public static Duration percentile(List<Duration> samples, double p) {
    List<Duration> sorted = samples.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  public synchronized String table() {
    StringBuilder b = new StringBuilder();
    int width = rows.stream().mapToInt(r -> r.name().length()).max().orElse(10);
    String fmt = "%-" + width + "s  %-6s  %8s  %s%n";
    b.append(String.format(fmt, "SCENARIO", "RESULT", "TIME", "FIGURES"));
    for (Row r : rows) {
      b.append(String.format(fmt, r.name(), r.outcome() == Outcome.PASSED ? "pass" : "FAIL",
          seconds(r.duration()), String.join("; ", r.figures())));
      if (r.failure() != null) {
        b.append(String.format(fmt, "", "", "", "failure: " + firstLine(r.failure())));
      }
    }
    b.append(String.format("%n%-40s  %7s  %8s  %8s  %8s%n", "SERIES", "SAMPLES", "P50", "P99", "MAX"));
    for (Map.Entry<String, List<Duration>> e : series.entrySet()) {
      List<Duration> s = e.getValue();
      b.append(String.format("%-40s  %7d  %8s  %8s  %8s%n", e.getKey(), s.size(), seconds(percentile(s, 50)),
          seconds(percentile(s, 99)), seconds(percentile(s, 100))));
    }
    long passed = rows.stream().filter(r -> r.outcome() == Outcome.PASSED).count();
    b.append(String.format("%n%d of %d scenarios passed%n", passed, rows.size()));
    return b.toString();
  }

  public synchronized String markdown(String heading) {
    StringBuilder b = new StringBuilder("# " + heading + "\n\n");
    b.append("| scenario | result | time | figures |\n|---|---|---|---|\n");
    for (Row r : rows) {
      String figures = String.join("; ", r.figures());
      if (r.failure() != null) {
        figures += (figures.isEmpty() ? "" : "; ") + "failure: " + firstLine(r.failure());
      }
      b.append("| ").append(r.name()).append(" | ").append(r.outcome() == Outcome.PASSED ? "pass" : "**FAIL**")
          .append(" | ").append(seconds(r.duration())).append(" | ").append(figures.replace("|", "\\|")).append(" |\n");
    }
    b.append("\n| series | samples | p50 | p99 | max |\n|---|---|---|---|---|\n");
    for (Map.Entry<String, List<Duration>> e : series.entrySet()) {
      List<Duration> s = e.getValue();
      b.append("| ").append(e.getKey()).append(" | ").append(s.size()).append(" | ")
          .append(seconds(percentile(s, 50))).append(" | ").append(seconds(percentile(s, 99))).append(" | ")
          .append(seconds(percentile(s, 100))).append(" |\n");
    }
    return b.toString();
  }

  public static String seconds(Duration d) {
    return String.format("%.2fs", d.toMillis() / 1000.0);
  }

  private static String firstLine(String s) {
    String line = s.strip().split("\n", 2)[0];
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
