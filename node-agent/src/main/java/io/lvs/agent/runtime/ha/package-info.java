/**
 * The runtime of the VIP election (docs/ha.md): {@link io.lvs.agent.runtime.ha.ElectionLoop} steps
 * every election of this node, performs what they decide (Lease writes, the VIP on the interface,
 * repeated announcements) and reports transitions. Not started by the agent yet.
 */
package io.lvs.agent.runtime.ha;
