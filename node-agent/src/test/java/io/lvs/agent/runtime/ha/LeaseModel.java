package io.lvs.agent.runtime.ha;

import io.lvs.agent.ha.LeaseView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API server's Leases as the election sees them, shared by several directors in one JVM: a
 * version per write, a write on a stale version refused (the optimistic lock), and per director a
 * cut link (its calls fail, as a partition or an outage would make them).
 */
final class LeaseModel {
  private final Map<String, LeaseView> leases = new HashMap<>();
  private final Map<String, ElectionPorts.Takeover> takeovers = new HashMap<>();
  private final Set<String> cut = ConcurrentHashMap.newKeySet();
  private long version;

  void cut(String node, boolean down) {
    if (down) {
      cut.add(node);
    } else {
      cut.remove(node);
    }
  }

  synchronized Optional<String> holder(String vip) {
    return Optional.ofNullable(leases.getOrDefault(vip, LeaseView.ABSENT).holder());
  }

  synchronized ElectionPorts.Takeover lastTakeover(String vip) {
    return takeovers.get(vip);
  }

  ElectionPorts.Leases port(String node) {
    return new ElectionPorts.Leases() {
      @Override
      public LeaseView read(String vip) {
        check(node);
        synchronized (LeaseModel.this) {
          return leases.getOrDefault(vip, LeaseView.ABSENT);
        }
      }

      @Override
      public Optional<LeaseView> write(String vip, LeaseView basis, String holder, Duration d, Instant wallNow,
          ElectionPorts.Takeover takeover, String token) {
        check(node);
        synchronized (LeaseModel.this) {
          if (!Objects.equals(basis.version(), leases.getOrDefault(vip, LeaseView.ABSENT).version())) {
            return Optional.empty();
          }
          LeaseView v = new LeaseView(holder, Long.toString(++version), token);
          leases.put(vip, v);
          if (takeover != null) {
            takeovers.put(vip, takeover);
          }
          return Optional.of(v);
        }
      }
    };
  }

  private void check(String node) {
    if (cut.contains(node)) {
      throw new IllegalStateException("connect timed out (" + node + " cut from the API server)");
    }
  }
}
