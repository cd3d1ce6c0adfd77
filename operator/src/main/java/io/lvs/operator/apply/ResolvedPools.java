package io.lvs.operator.apply;

import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.operator.resolve.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The pool controller's latest resolution of each RealServerPool, handed to the node-state sync in
 * memory. The pool's status publishes the same members, but waiting for that write and its watch
 * event put an API round trip (and, at start, 2,000 status writes) between an EndpointSlice change
 * and the node objects. Both controllers run in the one leader process, so the hand-over is safe;
 * after a restart this is empty and the pools' statuses are the record to plan from.
 */
public final class ResolvedPools {
  private record Resolution(String uid, List<Member> members) {}

  private final Map<String, Resolution> byPool = new ConcurrentHashMap<>();
  private final Queue<Long> changedAt = new ConcurrentLinkedQueue<>();
  private volatile Runnable onChange = () -> {};

  /** Called (on the publishing thread) whenever a pool's members differ from what was published. */
  public void onChange(Runnable listener) {
    this.onChange = listener;
  }

  public void publish(RealServerPool pool, List<Member> members) {
    Resolution next = new Resolution(pool.getMetadata().getUid(), List.copyOf(members));
    Resolution previous = byPool.get(key(pool));
    if (next.equals(previous)) {
      return; // keep the very list the sync planned from: its plan input stays reusable
    }
    byPool.put(key(pool), next);
    changedAt.add(System.nanoTime());
    onChange.run();
  }

  /** When (System.nanoTime) each change published since the last call happened; for the sync's latency metric. */
  public List<Long> takeChangeTimes() {
    List<Long> out = new ArrayList<>();
    for (Long t = changedAt.poll(); t != null; t = changedAt.poll()) {
      out.add(t);
    }
    return out;
  }

  /** The members last resolved for this pool object (same uid), if any since this process started. */
  public Optional<List<Member>> members(RealServerPool pool) {
    Resolution r = byPool.get(key(pool));
    return r != null && r.uid() != null && r.uid().equals(pool.getMetadata().getUid())
        ? Optional.of(r.members())
        : Optional.empty();
  }

  /**
   * Members to plan from: this process's resolution, else the pool's status (a restarted operator
   * plans from what was resolved before instead of from nothing); empty when neither exists yet.
   */
  public Optional<List<Member>> plannable(RealServerPool pool) {
    Optional<List<Member>> mine = members(pool);
    if (mine.isPresent()) {
      return mine;
    }
    return pool.getStatus() == null || pool.getStatus().members() == null
        ? Optional.empty()
        : Optional.of(PlanInputs.members(pool));
  }

  private static String key(RealServerPool pool) {
    return pool.getMetadata().getNamespace() + "/" + pool.getMetadata().getName();
  }
}
