package io.lvs.agent.ownership;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A sysctl this agent changed: the value it found before its first write ({@code original}, what
 * removal restores), the value it wrote, and who wants it.
 */
public record OwnedSysctl(String original, String value, SortedSet<String> owners) {
  public OwnedSysctl {
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(value, "value");
    owners = Collections.unmodifiableSortedSet(new TreeSet<>(owners));
  }
}
