package io.lvs.agent.ha;

/**
 * What one election step asks of the runtime, in this order: make the VIP present or absent on the
 * director's interface (announcing it when it appears; sync daemon master role with it), then the
 * Lease write. A release is written only after the VIP is gone, so the next holder never overlaps.
 */
public record Decision(boolean holdVip, LeaseAction lease, Reason reason) {
  public enum LeaseAction {
    NONE,
    /** Write the Lease naming this node, on the version last read (optimistic lock). */
    ACQUIRE,
    /** Write the Lease naming this node again (renewTime), on the version last read. */
    RENEW,
    /** Write the Lease naming nobody, on the version last read. */
    RELEASE
  }

  public enum Reason {
    HOLDING,
    /** The renewal is overdue, but every peer is heard and none can reach the API server either. */
    HOLDING_THROUGH_API_OUTAGE,
    STANDBY,
    /** The renewal is overdue and the peers do not all confirm an outage: give the VIP up. */
    FENCED,
    /** The Lease names another director. */
    LEASE_LOST,
    /** The preferred director is back and preemption is on. */
    PREEMPTED
  }
}
