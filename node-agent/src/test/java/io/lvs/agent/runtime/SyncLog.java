package io.lvs.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The syncs an agent's log shows: each "kernel changed" line and each "resync slower than its
 * interval" line, with its end (the line's timestamp) and duration (tookMs). A sync that changed
 * nothing and took less than the resync interval logs nothing. Test helper: it bounds a drift
 * repair by the syncs that actually ran.
 */
record SyncLog(List<Sync> syncs) {
  private static final Pattern LINE = Pattern.compile(
      "^ts=(\\S+) .*msg=\"(kernel changed|resync slower than its interval)\".*tookMs=\"([0-9]+)\"");

  record Sync(Instant end, long tookMs, boolean changed) {
    Instant start() {
      return end.minusMillis(tookMs);
    }
  }

  /**
   * The repair's bound: the sync running while the damage was made may have read the table
   * before it, so the repair lands at the end of the next full sync, which starts at most one
   * interval after that one ends. {@code syncs} counts the logged syncs that ended between the
   * damage and the repair or were running at the repair (the next one changes the kernel, so it is
   * always logged). A sync's tookMs includes its status build (statusMs), which holds the same lock.
   */
  record Bound(int syncs, long runningMs, long repairingMs, long intervalMs) {
    double seconds() {
      return (runningMs + intervalMs + repairingMs) / 1e3;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "repair bound %.1f s = the sync running at the damage %.1f s + interval %.1f s"
          + " + the repairing sync %.1f s (%d logged syncs ended between damage and repair)", seconds(),
          runningMs / 1e3, intervalMs / 1e3, repairingMs / 1e3, syncs);
    }
  }

  static SyncLog read(Path log) throws IOException {
    return parse(Files.readAllLines(log));
  }

  static SyncLog parse(List<String> lines) {
    List<Sync> out = new ArrayList<>();
    for (String l : lines) {
      Matcher m = LINE.matcher(l);
      if (m.find()) {
        out.add(new Sync(Instant.parse(m.group(1)), Long.parseLong(m.group(3)), m.group(2).equals("kernel changed")));
      }
    }
    return new SyncLog(List.copyOf(out));
  }

  /** Damage made from {@code damageFrom} to {@code damageTo}, seen repaired at {@code repaired}. */
  Bound repairBound(Instant damageFrom, Instant damageTo, Instant repaired, long intervalMs) {
    // a sync's operations reach the kernel before its line is logged: the repairing one may end after the repair was seen
    List<Sync> after = syncs.stream().filter(s -> s.end().isAfter(damageFrom) && !s.start().isAfter(repaired)).toList();
    Sync repairing = after.stream().filter(Sync::changed).reduce((x, y) -> y)
        .orElseThrow(() -> new AssertionError("no \"kernel changed\" line between the damage and the repair: " + syncs));
    // not logged: it changed nothing and took at most one interval
    long running = after.stream().filter(s -> s != repairing && !s.start().isAfter(damageTo)).mapToLong(Sync::tookMs)
        .max().orElse(intervalMs);
    return new Bound(after.size(), running, repairing.tookMs(), intervalMs);
  }
}
