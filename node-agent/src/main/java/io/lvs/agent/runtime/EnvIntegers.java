package io.lvs.agent.runtime;

import java.util.Map;

/** Reads an integer agent setting from the environment, refusing bad values by name. */
public final class EnvIntegers {
  private EnvIntegers() {}

  /** {@code name}'s value, or {@code dflt} when unset or blank; refused outside {@code min..max}. */
  public static int integer(Map<String, String> env, String name, int dflt, int min, int max) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": \"" + v + "\" is not a number", e);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + ": " + n + " is outside " + min + ".." + max);
    }
    return n;
  }
}
