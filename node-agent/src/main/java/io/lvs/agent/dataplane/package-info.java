/**
 * The desired kernel state of one node as immutable values ({@link io.lvs.agent.dataplane.DesiredState}:
 * IPVS services with destinations, addresses, links, sysctls), keyed as the kernel keys them, and
 * what was read from the kernel ({@link io.lvs.agent.dataplane.ObservedState}). No logic beyond
 * merging shared wishes and recording contradictory ones as conflicts.
 */
package io.lvs.agent.dataplane;
