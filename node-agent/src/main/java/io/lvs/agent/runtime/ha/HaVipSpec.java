package io.lvs.agent.runtime.ha;

import io.lvs.agent.ha.ElectionTimings;
import io.lvs.agent.model.InterfaceAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;

/**
 * One HA VIP of this node's spec as the agent runs it (a {@code vipCandidates} entry, validated
 * and with defaults filled in by {@link HaCandidates}): where the VIP goes when this node holds it,
 * every director's heartbeat address by node name (this node's included), and the election's settings.
 */
public record HaVipSpec(
    String owner,
    InterfaceAddress address,
    Map<String, InetAddress> directors,
    String preferred,
    boolean preempt,
    ElectionTimings timings,
    Duration heartbeatInterval,
    int announceCount,
    Duration announceInterval,
    boolean connectionSync) {
  public HaVipSpec {
    directors = Map.copyOf(directors);
  }

  /** The VIP as the election and the Lease name it: its address literal. */
  public String vip() {
    return address.address().getHostAddress();
  }

  public ElectionLoop.HaVip election() {
    return new ElectionLoop.HaVip(vip(), preferred, preempt, timings, announceCount, announceInterval);
  }
}
