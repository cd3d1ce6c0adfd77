package io.lvs.agent.runtime.ha;

import io.lvs.agent.ha.LeaseView;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What the election loop needs from the world, so it can be stepped on an injected clock. */
public final class ElectionPorts {
  private ElectionPorts() {}

  /** The VIP Leases (production: {@code VipLeaseClient}); a thrown exception means the API server is unreachable. */
  public interface Leases {
    LeaseView read(String vip);

    /**
     * Empty on a conflict (another writer got there first). {@code takeover}: this write takes the
     * VIP from another director or after a release (recorded on the Lease), else null. {@code token}
     * names this write (recorded on the Lease, read back in {@link LeaseView#write()}): heartbeats
     * name a renewal in flight by it.
     */
    Optional<LeaseView> write(String vip, LeaseView basis, String holder, Duration leaseDuration, Instant wallNow,
        Takeover takeover, String token);

    /**
     * A dry run of the write a takeover makes (checked by the API server, stored nowhere), so that
     * path is ready in this process before its first takeover; may throw (the Lease may not exist).
     */
    default void prepareWrite(String vip, String holder, Duration leaseDuration, Instant wallNow) {}
  }

  /**
   * Why this node takes a VIP, as the Lease annotations record it for the VirtualService's status:
   * {@code from} the previous holder ("" after a release), {@code reason} {@code HolderLost} (the
   * Lease expired), {@code Released} or {@code Preempted} (released, and this is the preferred director).
   */
  public record Takeover(String from, String reason) {}

  /** The VIP on this director's interface (production: rtnl address add/delete and announce). */
  public interface VipHost {
    void add(String vip);

    void remove(String vip);

    /** One gratuitous ARP / unsolicited NA for the VIP. */
    void announce(String vip);
  }
}
