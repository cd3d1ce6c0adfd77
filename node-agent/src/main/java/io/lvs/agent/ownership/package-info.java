/**
 * What this agent created and so may change or delete ({@link io.lvs.agent.ownership.OwnedSet}),
 * with the original value of every sysctl it changed, persisted atomically under LVS_STATE_DIR by
 * {@link io.lvs.agent.ownership.FileOwnershipStore} so a restarted agent recognises its objects.
 * Everything else in the kernel (kube-proxy's services, hand-made rules) is foreign and untouched.
 */
package io.lvs.agent.ownership;
