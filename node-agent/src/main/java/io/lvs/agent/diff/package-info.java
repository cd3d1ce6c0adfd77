/**
 * The pure differ: (desired, observed, owned) to an ordered, minimal {@link io.lvs.agent.diff.Plan}.
 * Order: links, sysctls, addresses, services, destinations, then removals in reverse; quiesce to
 * weight 0 before a drained delete. It plans edits and deletes only for objects in the owned set.
 */
package io.lvs.agent.diff;
