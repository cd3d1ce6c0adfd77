/**
 * I/O at the edge: {@link io.lvs.agent.apply.Applier} reads the kernel, asks the differ for a plan,
 * runs it through the kernel clients, reports each operation's outcome with the kernel's error
 * text, and records what this agent now owns. A full sync ({@code apply}) and an incremental one
 * ({@code applyChanges}) that diffs only changed services against the last known kernel view.
 */
package io.lvs.agent.apply;
