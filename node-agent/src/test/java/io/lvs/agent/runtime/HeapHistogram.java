package io.lvs.agent.runtime;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * This JVM's live heap by class, as {@code jcmd PID GC.class_histogram} prints it (the same
 * diagnostic command, run in-process: it collects garbage first, so only reachable objects are
 * counted). Two histograms subtract: what one part of a program holds is the histogram with it
 * minus the histogram after it has been let go.
 */
public record HeapHistogram(long totalBytes, Map<String, Row> rows) {
  /** One class's live instances and bytes (shallow sizes). */
  record Row(String className, long instances, long bytes) {}

  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
  private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");

  /** A full GC, then the histogram of what survived it. */
  public static HeapHistogram take() {
    try {
      String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      return parse(text);
    } catch (Exception e) {
      throw new IllegalStateException("GC.class_histogram: " + e.getMessage(), e);
    }
  }

  static HeapHistogram parse(String text) {
    Map<String, Row> rows = new HashMap<>();
    long total = -1;
    for (String line : text.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        rows.merge(m.group(3), new Row(m.group(3), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
            (a, b) -> new Row(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes()));
        continue;
      }
      Matcher t = TOTAL.matcher(line);
      if (t.find()) {
        total = Long.parseLong(t.group(2));
      }
    }
    if (total < 0) {
      throw new IllegalArgumentException("no Total line in the class histogram: " + text.lines().limit(5).toList());
    }
    return new HeapHistogram(total, rows);
  }

  /** This histogram less {@code base}, by class: what was held here and not there. */
  public HeapHistogram minus(HeapHistogram base) {
    Map<String, Row> out = new HashMap<>();
    rows.forEach((name, r) -> {
      Row b = base.rows.get(name);
      long n = r.instances() - (b == null ? 0 : b.instances());
      long bytes = r.bytes() - (b == null ? 0 : b.bytes());
      if (bytes != 0) {
        out.put(name, new Row(name, n, bytes));
      }
    });
    return new HeapHistogram(totalBytes - base.totalBytes, out);
  }

  /** The {@code n} classes holding the most bytes, largest first. */
  List<Row> top(int n) {
    List<Row> l = new ArrayList<>(rows.values());
    l.sort(Comparator.comparingLong(Row::bytes).reversed());
    return l.subList(0, Math.min(n, l.size()));
  }

  /** A table of the top {@code n} classes with the total, in MiB. */
  public String format(String title, int n) {
    StringBuilder b = new StringBuilder(String.format("%s: %.1f MiB%n", title, totalBytes / 1048576.0));
    for (Row r : top(n)) {
      b.append(String.format("  %,12d  %8.2f MiB  %s%n", r.instances(), r.bytes() / 1048576.0, r.className()));
    }
    return b.toString();
  }
}
