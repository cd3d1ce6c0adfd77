package io.lvs.operator.apply;

import io.lvs.api.v1alpha1.DirectorHealth;
import io.lvs.operator.resolve.MemberKey;
import io.lvs.operator.status.MemberHealthReports;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The directors' health checks per member, handed from the VirtualService controller (woken by the
 * agents' reports, it reads them) to the pool controller (it writes them into the pool's status).
 * Kept per VirtualService, since several may share a pool; both controllers run in the one leader
 * process, so the hand-over is in memory. After a restart it fills as VirtualServices reconcile.
 */
public final class MemberHealthBook {
  private record Entry(String pool, Map<MemberKey, List<DirectorHealth>> health) {}

  private final Map<String, Entry> byService = new ConcurrentHashMap<>();
  private volatile Consumer<String> onChange = pool -> {};

  /** Called with the pool's "namespace/name" whenever what is known about its members changes. */
  public void onChange(Consumer<String> listener) {
    this.onChange = Objects.requireNonNull(listener, "listener");
  }

  /** What the directors report about the members of VirtualService {@code service}, whose pool is {@code pool}. */
  public void publish(String service, String pool, Map<MemberKey, List<DirectorHealth>> health) {
    Entry next = new Entry(pool, Map.copyOf(health));
    Entry previous = byService.put(service, next);
    if (next.equals(previous)) {
      return;
    }
    if (previous != null && !previous.pool().equals(pool)) {
      onChange.accept(previous.pool());
    }
    onChange.accept(pool);
  }

  /** The VirtualService is gone or no longer planned: its views leave its pool. */
  public void forget(String service) {
    Entry previous = byService.remove(service);
    if (previous != null && !previous.health().isEmpty()) {
      onChange.accept(previous.pool());
    }
  }

  /** Every VirtualService's view of the pool's members, merged per member and director. */
  public Map<MemberKey, List<DirectorHealth>> of(String pool) {
    return MemberHealthReports.merge(
        byService.values().stream().filter(e -> e.pool().equals(pool)).map(Entry::health).toList());
  }
}
