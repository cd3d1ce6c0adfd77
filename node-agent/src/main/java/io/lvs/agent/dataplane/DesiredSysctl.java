package io.lvs.agent.dataplane;

import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A kernel parameter the node must hold, by dotted key. The agent records the value it found
 * before its first write and restores it when no owner wants the key any more.
 */
public record DesiredSysctl(String key, String value, SortedSet<String> owners) {
  public DesiredSysctl {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    owners = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(owners));
  }
}
