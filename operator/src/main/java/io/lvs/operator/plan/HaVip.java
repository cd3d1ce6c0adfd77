package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.Directors;
import java.util.List;

/**
 * A VIP the directors elect a holder for among themselves (docs/ha.md): its candidates (the ready
 * directors, by name) and the HA settings, both from the oldest VirtualService on the VIP, so every
 * VirtualService sharing it gives the agents one and the same election.
 */
record HaVip(List<NodeView> candidates, Directors settings) {
  HaVip {
    candidates = List.copyOf(candidates);
  }
}
