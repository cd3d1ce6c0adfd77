/**
 * Highly available directors (docs/ha.md): which director of a VIP holds it. Pure: the election
 * state machine ({@link io.lvs.agent.ha.VipElection}) decides from a clock reading, the VIP's Lease
 * as last read, the API server's reachability and the peers' heartbeats; the runtime performs what
 * it decides (Lease writes, the VIP address, announcements, sync daemon roles).
 */
package io.lvs.agent.ha;
