/**
 * LvsNodeConfig: which configuration applies to which node ({@link NodeConfigResolver}, pure),
 * how the result enters the first slice of each node ({@link TimeoutsOverlay}, pure), and the
 * configurations' status ({@link NodeConfigStatusBuilder}, pure; written by
 * {@code controller.LvsNodeConfigReconciler}).
 */
package io.lvs.operator.nodeconfig;
