package io.lvs.agent.dataplane;

import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A link the node must have, up: "tunl0" of kind "ipip" (the ipip module's fallback device) for a
 * TUN real server, or a "dummy". A link of the right kind that already exists is used as it is
 * (brought up) but never deleted, since the agent did not create it.
 */
public record DesiredLink(String name, String kind, SortedSet<String> owners) {
  public DesiredLink {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    owners = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(owners));
  }
}
