package io.lvs.agent.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A deterministic model of N directors electing one VIP: a Lease store with resource versions (the
 * API server), per-node API and data-network links that tests cut, heartbeats every
 * {@code heartbeat}, election steps every {@code tick}, all on one injected clock. It plays the
 * runtime's part: perform the decided Lease write, then hold or drop the VIP.
 */
final class SimulatedDirectors {
  static final String VIP = "198.18.0.100";
  final ElectionTimings timings;
  final Duration tick = Duration.ofMillis(100);
  final Duration heartbeat = Duration.ofMillis(300);
  Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private LeaseView stored = LeaseView.ABSENT;
  private long version;
  final Map<String, Node> nodes = new LinkedHashMap<>();
  private long seq = 1;
  private Instant nextHeartbeat = now;

  final class Node {
    final String name;
    final Peers peers;
    final ApiReachability api = new ApiReachability();
    final VipElection election;
    boolean apiLink = true;
    boolean dataLink = true;
    boolean alive = true;
    boolean holdsVip;
    Decision last;

    Node(String name, String preferred, boolean preempt) {
      this.name = name;
      this.peers = new Peers(name);
      this.election = new VipElection(VIP, name, preferred, preempt, timings, peers, api);
    }

    void step() {
      if (apiLink) {
        api.succeeded(now);
        election.observed(stored, now); // the watch
      } else {
        api.failed();
      }
      Decision d = election.step(now);
      last = d;
      if (!d.holdVip()) {
        holdsVip = false; // the VIP goes before any release is written
      }
      if (d.lease() != Decision.LeaseAction.NONE) {
        write(d.lease());
      }
      holdsVip = election.holder(); // after a successful acquire the VIP goes up at once
    }

    private void write(Decision.LeaseAction a) {
      if (!apiLink) {
        api.failed();
        return;
      }
      LeaseView seen = election.lease();
      if (!java.util.Objects.equals(seen.version(), stored.version())) {
        election.observed(stored, now); // 409: re-read
        return;
      }
      stored = new LeaseView(a == Decision.LeaseAction.RELEASE ? null : name, Long.toString(++version));
      election.written(stored, now);
    }
  }

  SimulatedDirectors(ElectionTimings timings) {
    this.timings = timings;
  }

  Node add(String name, String preferred, boolean preempt) {
    Node n = new Node(name, preferred, preempt);
    nodes.put(name, n);
    for (Node o : nodes.values()) {
      o.peers.name(nodes.keySet());
    }
    return n;
  }

  /** The node's agent restarted: a fresh election with nothing remembered. */
  Node restart(String name, String preferred, boolean preempt) {
    return add(name, preferred, preempt);
  }

  /** Advances the clock by one tick: heartbeats when due, then every live node's step. */
  void tick() {
    now = now.plus(tick);
    if (!now.isBefore(nextHeartbeat)) {
      nextHeartbeat = now.plus(heartbeat);
      for (Node from : nodes.values()) {
        if (!from.alive || !from.dataLink) {
          continue;
        }
        Map<String, PeerReport.Renewal> renewals = new LinkedHashMap<>();
        from.election.renewed().filter(x -> from.holdsVip).ifPresent(x -> renewals.put(VIP,
            new PeerReport.Renewal(x.version(), Duration.between(x.sentAt(), now).toMillis())));
        PeerReport r = new PeerReport(from.name, seq++, from.api.millis(now),
            from.holdsVip ? Set.of(VIP) : Set.of(), renewals);
        for (Node to : nodes.values()) {
          if (to != from && to.alive && to.dataLink) {
            byte[] wire = PeerReportCodec.encode(r);
            to.peers.heard(new PeerView(PeerReportCodec.decode(wire, wire.length), now));
          }
        }
      }
    }
    for (Node n : nodes.values()) {
      if (n.alive) {
        n.step();
      } else {
        n.holdsVip = false;
      }
    }
  }

  long holders() {
    return nodes.values().stream().filter(n -> n.holdsVip).count();
  }

  String holder() {
    return nodes.values().stream().filter(n -> n.holdsVip).map(n -> n.name).findFirst().orElse(null);
  }

  LeaseView stored() {
    return stored;
  }
}
