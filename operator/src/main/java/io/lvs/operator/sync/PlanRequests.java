package io.lvs.operator.sync;

import io.lvs.api.v1alpha1.VirtualService;

/**
 * How the node-state sync hears that something it plans from may have changed. Each call only
 * signals; the sync decides whether a new plan is needed.
 */
public interface PlanRequests {
  /**
   * A VirtualService was read by its controller (which the framework does only once every cache
   * has synced): plan again if what it is planned from changed, or a slice it was planned onto is gone.
   */
  void virtualServiceChanged(VirtualService vs);

  /** A Node changed in a way the planner sees (labels, addresses, readiness), or came or went. */
  void nodesChanged();
}
