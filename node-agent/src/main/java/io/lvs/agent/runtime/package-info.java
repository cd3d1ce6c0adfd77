/**
 * The node agent's runtime: from this node's LvsNodeState slices to the kernel and back to each
 * slice's status.
 *
 * <pre>
 * k8s.NodeStateWatcher (list and watch, labelSelector lvs.io/node=NODE_NAME, spec.nodeName=NODE_NAME)
 *   -> SyncLoop (on change, on health transitions, every LVS_RESYNC_SECONDS)
 *        SliceUnion: the slices' specs as one spec (+ generation and owners per slice)   pure
 *        NodeStateTranslator: spec -> DesiredState (+ errors by owner, health targets)   pure
 *        HealthOverlay: members health.HealthChecker found down -> weight 0              pure
 *        Applier (io.lvs.agent.apply): read kernel, diff, run the plan, never flush
 *        IpvsClient.dump(): read back, counters
 *        StatusBuilder: owners, services, counters for the node                          pure
 *        SliceStatuses: one status per slice, its owners, generation, conditions         pure
 *   -> k8s.StatusWriter (per slice: status subresource, resourceVersion locking, 409 re-read, heartbeat)
 * http.AgentHttpServer: /healthz /readyz /metrics (AgentMetrics, Micrometer Prometheus)
 * </pre>
 *
 * <p>Agent wires these for one node; io.lvs.agent.AgentMain supplies the real kernel clients.
 * RBAC the agent needs: src/main/resources/rbac/agent-rules.yaml.
 */
package io.lvs.agent.runtime;
