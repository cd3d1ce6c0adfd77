package io.lvs.agent.ha;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What this node knows of the other directors of its VIPs: the ones its spec names (a named peer
 * never heard is unknown, which is the safe reading) and every heartbeat received. Not thread-safe:
 * the election loop owns it.
 */
public final class Peers {
  static final java.time.Duration REORDER_WINDOW = java.time.Duration.ofSeconds(5);
  private final String self;
  private Set<String> named = Set.of();
  private final Map<String, PeerView> heard = new HashMap<>();

  public Peers(String self) {
    this.self = Objects.requireNonNull(self, "self");
  }

  /**
   * The directors the spec names besides this node. One the spec named before and no longer names
   * (the operator dropped it, e.g. its node turned NotReady) is forgotten with its last heartbeat:
   * else a director gone for good would count as unknown forever and no holder could keep its VIP
   * through an API-server outage. Should it still be alive and heard, it counts again.
   */
  public void name(Set<String> directors) {
    Set<String> next = directors.stream().filter(n -> !n.equals(self))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
    for (String gone : named) {
      if (!next.contains(gone)) {
        heard.remove(gone);
      }
    }
    named = next;
  }

  /** Records a heartbeat unless it is older than the last one of that peer (or our own, looped back). */
  public boolean heard(PeerView v) {
    String node = v.report().node();
    if (node.equals(self)) {
      return false;
    }
    PeerView was = heard.get(node);
    // a sender starts its seq at its start time in ms, so a restarted peer goes on upwards; one
    // silent for longer than REORDER_WINDOW is taken as it comes (its clock may have stepped back)
    if (was != null && was.report().seq() >= v.report().seq()
        && java.time.Duration.between(was.heardAt(), v.heardAt()).compareTo(REORDER_WINDOW) <= 0) {
      return false;
    }
    heard.put(node, v);
    return true;
  }

  /** The named peers and every peer heard. */
  public Set<String> all() {
    Set<String> out = new java.util.TreeSet<>(named);
    out.addAll(heard.keySet());
    return out;
  }

  public Optional<PeerView> view(String node) {
    return Optional.ofNullable(heard.get(node));
  }
}
