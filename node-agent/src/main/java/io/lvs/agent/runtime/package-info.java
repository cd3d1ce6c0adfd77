/**
 * The node agent's runtime: from this node's LvsNodeState to the kernel and back to its status.
 *
 * <pre>
 * k8s.NodeStateWatcher (informer, fieldSelector metadata.name=NODE_NAME)
 *   -> SyncLoop (on change, on health transitions, every LVS_RESYNC_SECONDS)
 *        NodeStateTranslator: spec -> DesiredState (+ errors by owner, health targets)   pure
 *        HealthOverlay: members health.HealthChecker found down -> weight 0              pure
 *        Applier (io.lvs.agent.apply): read kernel, diff, run the plan, never flush
 *        IpvsClient.dump(): read back, counters
 *        StatusBuilder: owners, services, counters, Ready/Programmed/Degraded             pure
 *   -> k8s.StatusWriter (status subresource, resourceVersion locking, 409 re-read, heartbeat)
 * http.AgentHttpServer: /healthz /readyz /metrics (AgentMetrics, Micrometer Prometheus)
 * </pre>
 *
 * <p>Agent wires these for one node; io.lvs.agent.AgentMain supplies the real kernel clients.
 * RBAC the agent needs: src/main/resources/rbac/agent-rules.yaml.
 */
package io.lvs.agent.runtime;
