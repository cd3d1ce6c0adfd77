package io.lvs.operator.resolve;

import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.StaticMember;
import io.lvs.api.v1alpha1.WeightOverride;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The union of a pool's member sources, one member per address:port, with weights applied: a
 * per-address override wins, then a static member's own weight, then the pool's defaultWeight
 * (default 1). When two sources name the same address:port, a ready one wins, then the first of
 * serviceRef, podSelector, nodeSelector, static.
 */
public final class MemberResolver {
  static final int DEFAULT_WEIGHT = 1;

  /** Members by key (sorted) and the problems met; no draining applied yet. */
  public record Resolved(Map<MemberKey, Member> members, List<String> errors) {}

  public Resolved resolve(String namespace, RealServerPoolSpec spec, PoolInputs in) {
    List<Candidate> all = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    if (spec.serviceRef() != null) {
      Resolution r = EndpointSliceCandidates.from(namespace, spec.serviceRef(), in.slices());
      all.addAll(r.candidates());
      errors.addAll(r.errors());
    }
    if (spec.podSelector() != null) {
      all.addAll(PodCandidates.from(namespace, spec.podSelector(), in.pods()));
    }
    if (spec.nodeSelector() != null) {
      all.addAll(NodeCandidates.from(spec.nodeSelector(), in.nodes()));
    }
    if (spec.staticMembers() != null) {
      for (StaticMember m : spec.staticMembers()) {
        all.add(new Candidate(m.address(), m.port(), null, true, MemberSource.STATIC, m.weight()));
      }
    }
    Map<String, Integer> overrides = new HashMap<>();
    if (spec.weights() != null) {
      for (WeightOverride w : spec.weights()) {
        overrides.put(w.address(), w.weight());
      }
    }
    int defaultWeight = spec.defaultWeight() == null ? DEFAULT_WEIGHT : spec.defaultWeight();
    Map<MemberKey, Candidate> chosen = new TreeMap<>();
    for (Candidate c : all) {
      chosen.merge(c.key(), c, (a, b) -> !a.ready() && b.ready() ? b : a);
    }
    Map<MemberKey, Member> members = new TreeMap<>();
    chosen.forEach(
        (k, c) -> {
          int weight =
              overrides.getOrDefault(c.address(), c.ownWeight() != null ? c.ownWeight() : defaultWeight);
          members.put(k, new Member(c.address(), c.port(), weight, c.source(), c.node(), c.ready(), false));
        });
    return new Resolved(members, errors);
  }
}
