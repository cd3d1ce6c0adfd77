package io.lvs.agent.runtime.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Repeats a VIP's announcement {@code count} times {@code interval} apart after it was added (as
 * keepalived's garp_master_repeat), for neighbours that missed or dropped the first one. Pure.
 */
public final class Announcements {
  private final int count;
  private final Duration interval;
  private final Map<String, Pending> pending = new HashMap<>();

  private record Pending(int left, Instant next, Duration every) {}

  public Announcements(int count, Duration interval) {
    validate(count, interval);
    this.count = count;
    this.interval = interval;
  }

  /** The VIP was just added: the first announcement is due now. */
  public void added(String vip, Instant now) {
    added(vip, now, count, interval);
  }

  /** As {@link #added(String, Instant)}, with this VIP's own repetitions. */
  public void added(String vip, Instant now, int times, Duration every) {
    validate(times, every);
    pending.put(vip, new Pending(times, now, every));
  }

  public void removed(String vip) {
    pending.remove(vip);
  }

  private static void validate(int count, Duration interval) {
    if (count < 1 || count > 100) {
      throw new IllegalArgumentException("announce count " + count + " must be 1-100");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("announce interval " + interval + " must be positive");
    }
  }

  /** The VIPs to announce now (each at most once per call). */
  public List<String> due(Instant now) {
    List<String> out = new ArrayList<>();
    for (String vip : new ArrayList<>(pending.keySet())) {
      if (due(vip, now)) {
        out.add(vip);
      }
    }
    out.sort(null);
    return out;
  }

  /** Whether this VIP's announcement is due now; if so it counts as sent. */
  public boolean due(String vip, Instant now) {
    Pending p = pending.get(vip);
    if (p == null || now.isBefore(p.next())) {
      return false;
    }
    if (p.left() <= 1) {
      pending.remove(vip);
    } else {
      pending.put(vip, new Pending(p.left() - 1, now.plus(p.every()), p.every()));
    }
    return true;
  }
}
