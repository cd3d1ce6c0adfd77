package io.lvs.operator.resolve;

import java.util.Map;

/** Equality-based label selection, as matchLabels means it. */
public final class Labels {
  private Labels() {}

  /** True when every wanted label is present with the same value; an empty selector matches nothing. */
  public static boolean matches(Map<String, String> want, Map<String, String> have) {
    if (want == null || want.isEmpty()) {
      return false;
    }
    if (have == null) {
      return false;
    }
    for (Map.Entry<String, String> e : want.entrySet()) {
      if (!e.getValue().equals(have.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
