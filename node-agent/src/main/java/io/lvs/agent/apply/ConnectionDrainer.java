package io.lvs.agent.apply;

import io.lvs.agent.diff.DrainPolicy;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ServiceKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Graceful removal, after kube-proxy's graceful_termination.go: a destination that left the
 * desired state stays at weight 0 until its active connections reach 0 or its grace period has
 * passed since the agent first saw it leave; then it may be deleted. (UDP and a zero period never
 * get here: the differ deletes those at once.) The sync loop should re-sync by
 * {@link #nextDeadline()} so an expired grace period is acted on without another event.
 */
public final class ConnectionDrainer implements DrainPolicy {
  private record Key(ServiceKey service, DestinationKey destination) {}

  private final Clock clock;
  private final Map<Key, Instant> deadlines = new HashMap<>();
  private final Set<Key> consulted = new HashSet<>();

  public ConnectionDrainer(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized boolean mayDelete(ServiceKey service, ObservedDestination d, Duration grace) {
    Key key = new Key(service, d.destination().key());
    Instant now = clock.instant();
    Instant deadline = deadlines.computeIfAbsent(key, k -> now.plus(grace));
    if (d.activeConnections() == 0 || !now.isBefore(deadline)) {
      deadlines.remove(key); // about to be deleted: no longer a reason to wake up
      return true;
    }
    consulted.add(key);
    return false;
  }

  @Override
  public synchronized void beginRound() {
    consulted.clear();
  }

  /** Forgets destinations that are no longer draining: deleted, or wanted again. */
  @Override
  public synchronized void endRound() {
    deadlines.keySet().retainAll(consulted);
  }

  /** When the earliest grace period ends, if any destination is draining. */
  public synchronized Optional<Instant> nextDeadline() {
    return deadlines.values().stream().min(Instant::compareTo);
  }

  public synchronized int draining() {
    return deadlines.size();
  }
}
