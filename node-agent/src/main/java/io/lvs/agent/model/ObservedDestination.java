package io.lvs.agent.model;

import java.util.Objects;

/**
 * A destination as read from the kernel, with connection counts and counters. Immutable, with a
 * record's accessors, equality and text. The counters are held in the object itself rather than in
 * a {@link Stats} beside it: the view holds one per destination of the table (100,000 at 10,000
 * services x 10), and a second object each cost a header and a reference more. {@link #stats()}
 * makes the Stats when asked; a null Stats is held as {@link Stats#ZERO}.
 *
 * <p>What the kernel counts in 32 bits is held in 32 bits, as unsigned: the connection counts
 * (IPVS_DEST_ATTR_*_CONNS are u32) and the connection and packet rates, which its first stats
 * attribute (IPVS_DEST_ATTR_STATS) sends as u32 too; a rate above 2^32-1 per second (a destination
 * at 4.3 billion packets a second) reads as 2^32-1. Byte rates and the counters stay 64 bits.
 * 96 bytes per destination instead of 120.
 */
public final class ObservedDestination {
  private static final long U32_MAX = 0xFFFF_FFFFL;

  private final Destination destination;
  private final long connections;
  private final long inPackets;
  private final long outPackets;
  private final long inBytes;
  private final long outBytes;
  private final long inBps;
  private final long outBps;
  private final int activeConnections;
  private final int inactiveConnections;
  private final int persistentConnections;
  private final int cps;
  private final int inPps;
  private final int outPps;

  public ObservedDestination(Destination destination, long activeConnections, long inactiveConnections,
      long persistentConnections, Stats stats) {
    this.destination = destination;
    this.activeConnections = u32(activeConnections);
    this.inactiveConnections = u32(inactiveConnections);
    this.persistentConnections = u32(persistentConnections);
    Stats s = stats == null ? Stats.ZERO : stats;
    this.connections = s.connections();
    this.inPackets = s.inPackets();
    this.outPackets = s.outPackets();
    this.inBytes = s.inBytes();
    this.outBytes = s.outBytes();
    this.cps = u32(s.cps());
    this.inPps = u32(s.inPps());
    this.outPps = u32(s.outPps());
    this.inBps = s.inBps();
    this.outBps = s.outBps();
  }

  private ObservedDestination(ObservedDestination counters, Destination destination, long activeConnections,
      long inactiveConnections) {
    this.destination = destination;
    this.activeConnections = u32(activeConnections);
    this.inactiveConnections = u32(inactiveConnections);
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

  /** {@code v} as an unsigned 32-bit value, 2^32-1 if it is larger (or negative: above 2^63). */
  private static int u32(long v) {
    return (int) (v < 0 || v > U32_MAX ? U32_MAX : v);
  }

  private static long unsigned(int v) {
    return Integer.toUnsignedLong(v);
  }

  /** This destination's persistent count and counters with another destination value and connection counts. */
  public ObservedDestination with(Destination destination, long activeConnections, long inactiveConnections) {
    return new ObservedDestination(this, destination, activeConnections, inactiveConnections);
  }

  public Destination destination() {
    return destination;
  }

  public long activeConnections() {
    return unsigned(activeConnections);
  }

  public long inactiveConnections() {
    return unsigned(inactiveConnections);
  }

  public long persistentConnections() {
    return unsigned(persistentConnections);
  }

  /** The counters, made now (not held as an object). */
  public Stats stats() {
    return new Stats(connections, inPackets, outPackets, inBytes, outBytes, unsigned(cps), unsigned(inPps),
        unsigned(outPps), inBps, outBps);
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
    return Objects.hash(destination, activeConnections(), inactiveConnections(), persistentConnections(), stats());
  }

  @Override
  public String toString() {
    return "ObservedDestination[destination=" + destination + ", activeConnections=" + activeConnections()
        + ", inactiveConnections=" + inactiveConnections() + ", persistentConnections=" + persistentConnections()
        + ", stats=" + stats() + "]";
  }
}
