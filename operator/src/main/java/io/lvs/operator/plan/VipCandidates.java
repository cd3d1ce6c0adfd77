package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.Announce;
import io.lvs.api.v1alpha1.Directors;
import io.lvs.api.v1alpha1.FailoverTimings;
import io.lvs.api.v1alpha1.NodeFailoverTimings;
import io.lvs.api.v1alpha1.NodeHaPeer;
import io.lvs.api.v1alpha1.NodeVipCandidate;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import java.util.List;

/**
 * The entry that makes a director a candidate for an HA VIP (docs/ha.md): the VIP, where it goes,
 * every director (ready or not) and the election's settings with every default filled in, so the
 * agents run exactly what the operator validated. Pure.
 */
final class VipCandidates {
  private VipCandidates() {}

  /**
   * {@code node}'s candidacy for the VIP of {@code spec}: on {@code directors.vipInterface} when
   * set, else on the interface holding the node's own InternalIP (as a single holder's address).
   */
  static NodeVipCandidate of(String owner, VirtualServiceSpec spec, int prefix, NodeView node, HaVip ha) {
    Directors d = ha.settings();
    String iface = spec.directors() == null ? null : spec.directors().vipInterface();
    boolean named = iface != null && !iface.isBlank();
    List<NodeHaPeer> peers = ha.peers().stream().map(n -> new NodeHaPeer(n.name(), n.internalIp())).toList();
    // a preferred node that is no director would make the agents refuse the candidacy: none preferred then
    String preferred = ha.peers().stream().anyMatch(n -> n.name().equals(d.preferred())) ? d.preferred() : null;
    FailoverTimings t = (d.failover() == null ? new FailoverTimings(null, null, null, null, null) : d.failover()).withDefaults();
    Announce a = d.announce() == null ? new Announce(null, null) : d.announce();
    return new NodeVipCandidate(owner, spec.vip(), prefix, named ? iface : null, named ? null : node.internalIp(), peers,
        preferred, d.preempt() == null || d.preempt(),
        new NodeFailoverTimings(t.leaseDurationMillis(), t.renewDeadlineMillis(), t.retryPeriodMillis(), t.peerTimeoutMillis(),
            t.heartbeatIntervalMillis()),
        a.count() == null ? Announce.COUNT : a.count(), a.intervalMillis() == null ? Announce.INTERVAL : a.intervalMillis(),
        d.connectionSync() == null || d.connectionSync());
  }
}
