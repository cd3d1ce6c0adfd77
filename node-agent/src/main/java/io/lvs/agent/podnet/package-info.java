/**
 * Pods as DR / TUN real servers: the VIP and the ARP / rp_filter sysctls inside a pod's own
 * network namespace, found by the pod IP among the node's namespaces (no container runtime asked),
 * programmed by the agent's own Applier on a thread that entered that namespace, with an owned set
 * per pod namespace, so nothing the pod made itself is touched.
 */
package io.lvs.agent.podnet;
