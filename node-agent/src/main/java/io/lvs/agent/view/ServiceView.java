package io.lvs.agent.view;

import java.util.Locale;

/** The variants of {@code ipvsadm -Ln}: plain, --stats, --rate, --persistent-conn. */
public enum ServiceView {
  PLAIN,
  STATS,
  RATE,
  PERSISTENT_CONN;

  /** From a query value: absent or "" is PLAIN; "stats", "rate", "persistent-conn". */
  public static ServiceView parse(String value) {
    if (value == null || value.isEmpty()) {
      return PLAIN;
    }
    for (ServiceView v : values()) {
      if (v.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(value)) {
        return v;
      }
    }
    throw new IllegalArgumentException("view: \"" + value + "\" is not one of stats, rate, persistent-conn");
  }
}
