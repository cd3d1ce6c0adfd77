package io.lvs.operator.sync;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.operator.apply.ClusterView;
import io.lvs.operator.apply.PlanInputs;
import io.lvs.operator.apply.ResolvedPools;
import io.lvs.operator.plan.ServiceInput;
import io.lvs.operator.resolve.Member;
import io.lvs.operator.validate.SpecValidation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The planner's inputs: one {@link ServiceInput} per VirtualService, from the caches and the pools'
 * resolved members. "Planned" is the input the last plan was made from. A VirtualService whose pool
 * exists but is not resolved yet keeps its planned input (or waits to be planned), so no destination
 * is dropped for a pool that is merely not read yet.
 *
 * <p>Memo: the input made from the very same objects last time is reused. Informer caches and
 * {@link ResolvedPools} hand out the same objects until something changes, so a plan of 2,000
 * VirtualServices where one changed builds (and validates and deep-compares) one input, not 2,000.
 */
final class ServiceInputs {
  private final ClusterView view;
  private final ResolvedPools pools;
  private final SpecValidation validation;
  private final boolean memoize;
  private final Runnable onBuilt;
  private final Map<String, Origin> memo = new ConcurrentHashMap<>();
  private volatile Map<String, ServiceInput> planned = Map.of();

  /** The objects an input was made from (compared by identity, else by spec generation) and the input. */
  private record Origin(VirtualService vs, RealServerPool pool, List<Member> members, ServiceInput input) {}

  /** @param onBuilt told each time a plan needs an input built anew (a metric) */
  ServiceInputs(ClusterView view, ResolvedPools pools, SpecValidation validation, boolean memoize, Runnable onBuilt) {
    this.view = view;
    this.pools = pools;
    this.validation = validation;
    this.memoize = memoize;
    this.onBuilt = onBuilt;
  }

  /** The input the last plan was made from, or null if it was not planned. */
  ServiceInput planned(String key) {
    return planned.get(key);
  }

  /**
   * What this VirtualService would be planned from now; null while its pool exists but is not
   * resolved yet. Does not touch the memo: a caller other than the plan may hold a copy of the
   * cached object, which would only evict it.
   */
  ServiceInput current(VirtualService vs) {
    return inputOf(vs, false);
  }

  /** The inputs for a plan of all these VirtualServices, remembered as planned. */
  List<ServiceInput> forPlan(List<VirtualService> all) {
    List<ServiceInput> out = new ArrayList<>(all.size());
    Map<String, ServiceInput> previous = planned;
    Map<String, ServiceInput> now = new HashMap<>();
    for (VirtualService vs : all) {
      String key = PlanInputs.key(vs);
      ServiceInput in = inputOf(vs, true);
      if (in == null) {
        in = previous.get(key); // its pool is not resolved yet: keep what was planned
      }
      if (in != null) {
        out.add(in);
        now.put(key, in);
      }
    }
    planned = Map.copyOf(now);
    memo.keySet().retainAll(now.keySet());
    return out;
  }

  private ServiceInput inputOf(VirtualService vs, boolean forPlan) {
    String poolName = vs.getSpec() == null || vs.getSpec().realServerPoolRef() == null ? null : vs.getSpec().realServerPoolRef().name();
    Optional<RealServerPool> pool = poolName == null ? Optional.empty() : view.pool(vs.getMetadata().getNamespace(), poolName);
    if (pool.isEmpty()) {
      return remembered(vs, null, List.of(), forPlan);
    }
    return pools.plannable(pool.get()).map(m -> remembered(vs, pool.get(), m, forPlan)).orElse(null);
  }

  private ServiceInput remembered(VirtualService vs, RealServerPool pool, List<Member> members, boolean forPlan) {
    String key = PlanInputs.key(vs);
    Origin known = memoize ? memo.get(key) : null;
    boolean sameSpecs = known != null && sameSpec(known.vs(), vs) && sameSpec(known.pool(), pool);
    if (sameSpecs && known.members() == members) {
      return known.input();
    }
    // only the members changed (the common case: an EndpointSlice moved): the specs' validation stands
    ServiceInput in = sameSpecs ? withMembers(known.input(), members) : PlanInputs.of(vs, Optional.ofNullable(pool), members, validation);
    if (forPlan) {
      onBuilt.run();
      if (memoize) {
        memo.put(key, new Origin(vs, pool, members, in));
      }
    }
    return in;
  }

  private static ServiceInput withMembers(ServiceInput was, List<Member> members) {
    return new ServiceInput(was.key(), was.spec(), was.created(), members, was.upperThreshold(), was.lowerThreshold(),
        was.healthCheck(), was.active());
  }

  /**
   * The same object, or a later copy of it with the same spec: a status write makes a new object
   * without bumping metadata.generation (the status subresource), and must not cost a new input.
   */
  static boolean sameSpec(HasMetadata a, HasMetadata b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    var ma = a.getMetadata();
    var mb = b.getMetadata();
    return ma.getGeneration() != null && ma.getGeneration().equals(mb.getGeneration()) && Objects.equals(ma.getUid(), mb.getUid())
        && Objects.equals(ma.getDeletionTimestamp(), mb.getDeletionTimestamp());
  }
}
