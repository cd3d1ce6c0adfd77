package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.Directors;
import java.util.List;

/**
 * A VIP the directors elect a holder for among themselves (docs/ha.md): its candidates (the ready
 * directors, by name: they get a candidacy), its peers (every node the selector matches, ready or
 * not, by name: the directors each candidacy names, so the list stays two or more while one is
 * NotReady, and a peer that may still run counts in the election), and the HA settings, all from
 * the oldest VirtualService on the VIP, so every VirtualService sharing it gives the agents one and
 * the same election.
 */
record HaVip(List<NodeView> candidates, List<NodeView> peers, Directors settings) {
  HaVip {
    candidates = List.copyOf(candidates);
    peers = List.copyOf(peers);
  }
}
