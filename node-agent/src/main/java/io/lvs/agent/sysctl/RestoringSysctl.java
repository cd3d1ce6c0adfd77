package io.lvs.agent.sysctl;

import io.lvs.agent.ownership.OwnedSysctl;
import java.util.Objects;
import java.util.Set;

/**
 * Sysctl writes that remember what they replaced. {@link #set} returns the ledger entry (the
 * value found before this agent's first write); the owned set persists it, so {@link #restore}
 * can put the value back even after a restart.
 */
public final class RestoringSysctl {
  private final Sysctl sysctl;

  public RestoringSysctl(Sysctl sysctl) {
    this.sysctl = Objects.requireNonNull(sysctl, "sysctl");
  }

  /**
   * Writes {@code value}. {@code knownOriginal} is the value recorded at the first write (or found
   * when the plan was made); when null the current value is read now, as the original.
   */
  public OwnedSysctl set(String key, String value, String knownOriginal, Set<String> owners) {
    String original = knownOriginal;
    if (original == null) {
      original = sysctl.read(key).orElseThrow(
          () -> new SysctlException("set sysctl " + key + "=" + value + ": no such key on this kernel"));
    }
    sysctl.write(key, value);
    return new OwnedSysctl(original, value, new java.util.TreeSet<>(owners));
  }

  public void restore(String key, String original) {
    sysctl.write(key, original);
  }

  public Sysctl delegate() {
    return sysctl;
  }
}
