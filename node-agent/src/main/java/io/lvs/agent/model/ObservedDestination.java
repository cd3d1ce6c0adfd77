package io.lvs.agent.model;

import java.util.Objects;

/**
 * A destination as read from the kernel, with connection counts and counters. Immutable, with a
 * record's accessors, equality and text. The counters are held in the object itself rather than in
 * a {@link Stats} beside it: the view holds one per destination of the table (100,000 at 10,000
 * services x 10), and a second object each cost a header and a reference more. {@link #stats()}
 * makes the Stats when asked; a null Stats is held as {@link Stats#ZERO}.
 */
public final class ObservedDestination {
  private final Destination destination;
  private final long activeConnections;
  private final long inactiveConnections;
  private final long persistentConnections;
  private final long connections;
  private final long inPackets;
  private final long outPackets;
  private final long inBytes;
  private final long outBytes;
  private final long cps;
  private final long inPps;
  private final long outPps;
  private final long inBps;
  private final long outBps;

  public ObservedDestination(Destination destination, long activeConnections, long inactiveConnections,
      long persistentConnections, Stats stats) {
    this.destination = destination;
    this.activeConnections = activeConnections;
    this.inactiveConnections = inactiveConnections;
    this.persistentConnections = persistentConnections;
    Stats s = stats == null ? Stats.ZERO : stats;
    this.connections = s.connections();
    this.inPackets = s.inPackets();
    this.outPackets = s.outPackets();
    this.inBytes = s.inBytes();
    this.outBytes = s.outBytes();
    this.cps = s.cps();
    this.inPps = s.inPps();
    this.outPps = s.outPps();
    this.inBps = s.inBps();
    this.outBps = s.outBps();
  }

  private ObservedDestination(ObservedDestination counters, Destination destination, long activeConnections,
      long inactiveConnections) {
    this.destination = destination;
    this.activeConnections = activeConnections;
    this.inactiveConnections = inactiveConnections;
    this.persistentConnections = counters.persistentConnections;
    this.connections = counters.connections;
    this.inPackets = counters.inPackets;
    this.outPackets = counters.outPackets;
    this.inBytes = counters.inBytes;
    this.outBytes = counters.outBytes;
    this.cps = counters.cps;
    this.inPps = counters.inPps;
    this.outPps = counters.outPps;
    this.inBps = counters.inBps;
    this.outBps = counters.outBps;
  }

  /** This destination's persistent count and counters with another destination value and connection counts. */
  public ObservedDestination with(Destination destination, long activeConnections, long inactiveConnections) {
    return new ObservedDestination(this, destination, activeConnections, inactiveConnections);
  }

  public Destination destination() {
    return destination;
  }

  public long activeConnections() {
    return activeConnections;
  }

  public long inactiveConnections() {
    return inactiveConnections;
  }

  public long persistentConnections() {
    return persistentConnections;
  }

  /** The counters, made now (not held as an object). */
  public Stats stats() {
    return new Stats(connections, inPackets, outPackets, inBytes, outBytes, cps, inPps, outPps, inBps, outBps);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof ObservedDestination d && activeConnections == d.activeConnections
        && inactiveConnections == d.inactiveConnections && persistentConnections == d.persistentConnections
        && connections == d.connections && inPackets == d.inPackets && outPackets == d.outPackets
        && inBytes == d.inBytes && outBytes == d.outBytes && cps == d.cps && inPps == d.inPps && outPps == d.outPps
        && inBps == d.inBps && outBps == d.outBps && Objects.equals(destination, d.destination);
  }

  @Override
  public int hashCode() {
    return Objects.hash(destination, activeConnections, inactiveConnections, persistentConnections, stats());
  }

  @Override
  public String toString() {
    return "ObservedDestination[destination=" + destination + ", activeConnections=" + activeConnections
        + ", inactiveConnections=" + inactiveConnections + ", persistentConnections=" + persistentConnections
        + ", stats=" + stats() + "]";
  }
}
