package io.lvs.agent.runtime;

import io.fabric8.kubernetes.api.model.Condition;
import io.lvs.agent.apply.OperationResult;
import io.lvs.agent.dataplane.DesiredDestination;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.agent.dataplane.ObjectRef;
import io.lvs.agent.model.Destination;
import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.ObservedDestination;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.model.ServiceKey;
import io.lvs.agent.model.Stats;
import io.lvs.agent.runtime.health.Health;
import io.lvs.agent.runtime.health.MemberHealth;
import io.lvs.agent.runtime.health.MemberKey;
import io.lvs.api.v1alpha1.DestinationReport;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.OwnerReport;
import io.lvs.api.v1alpha1.ServiceReport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One sync's outcome as status, one per slice. Pure. "Programmed" means read back: an owner is
 * programmed only when every operation for it succeeded, nothing was refused as a conflict, and
 * the IPVS dump after applying holds its services and destinations as wanted. The node-wide
 * {@link #report} is built first; {@link SliceStatuses#split} then gives each slice the part about
 * its own owners, with its own generation and conditions.
 */
public class StatusBuilder { // not final: a test times the sync loop with a slow one
  public static final String READY = SliceStatuses.READY;
  public static final String PROGRAMMED = SliceStatuses.PROGRAMMED;
  public static final String DEGRADED = SliceStatuses.DEGRADED;

  /**
   * Slice name -> status for every slice of the outcome, the service reports not yet built (see
   * {@link SliceStatus}); {@code previous} are each slice's last conditions.
   */
  public Map<String, SliceStatus> statuses(SyncOutcome o, Map<String, List<Condition>> previous, Instant now) {
    return SliceStatuses.split(report(o), o.slices(), previous, now);
  }

  /** {@link #statuses}, each built whole. */
  public final Map<String, LvsNodeStateStatus> build(SyncOutcome o, Map<String, List<Condition>> previous, Instant now) {
    return SliceStatus.buildAll(statuses(o, previous, now));
  }

  /** The node-wide report: every owner and every service the sync dealt with. */
  public NodeReport report(SyncOutcome o) {
    Map<ServiceKey, ObservedService> observed = new HashMap<>();
    o.observed().forEach(s -> observed.put(s.service().key(), s));
    Map<String, List<String>> errors = new TreeMap<>();
    o.translation().owners().forEach(owner -> errors.put(owner, new ArrayList<>()));
    o.translation().errors().forEach((owner, list) -> errors.computeIfAbsent(owner, k -> new ArrayList<>()).addAll(list));
    o.snatErrors().forEach((owner, list) -> errors.computeIfAbsent(owner, k -> new ArrayList<>()).addAll(list));
    if (o.report() != null) {
      o.report().problemsByOwner().forEach((owner, list) -> errors.computeIfAbsent(owner, k -> new ArrayList<>()).addAll(list));
    }
    if (o.failure() != null) {
      errors.values().forEach(l -> l.add(o.failure()));
    }
    Map<ServiceKey, List<String>> serviceErrors = new HashMap<>(); // only the services with errors
    Map<String, Integer> unhealthy = new HashMap<>(); // probed members down, per owner of their service
    Map<String, List<String>> problemsByService = problemsByService(o); // once: per service it was 10^9 steps at 10k
    for (DesiredService d : o.applied().services().values()) {
      List<String> own = problemsByService.getOrDefault(d.key().toString(), List.of());
      List<String> readBack = o.failure() == null ? readBack(d, observed.get(d.key())) : List.of();
      if (own.isEmpty() && !readBack.isEmpty()) {
        errors.computeIfAbsent(d.owner(), k -> new ArrayList<>()).addAll(readBack);
      }
      List<String> all = new ArrayList<>(own);
      if (own.isEmpty()) {
        all.addAll(readBack);
      }
      if (o.failure() != null) {
        all.add(o.failure());
      }
      if (!all.isEmpty()) {
        serviceErrors.put(d.key(), all);
      }
    }
    o.health().forEach((m, h) -> {
      DesiredService d = o.applied().services().get(m.service());
      if (h == Health.Unhealthy && d != null) {
        unhealthy.merge(d.owner(), 1, Integer::sum);
      }
    });
    List<OwnerReport> owners = new ArrayList<>();
    o.podNamespaces().forEach((owner, pods) -> pods.stream().filter(p -> !Boolean.TRUE.equals(p.configured()))
        .forEach(p -> errors.computeIfAbsent(owner, k -> new ArrayList<>())
            .add("pod " + p.podIp() + " namespace not configured: " + p.reason())));
    errors.forEach((owner, list) -> owners.add(new OwnerReport(owner, list.isEmpty(), list.isEmpty() ? null : List.copyOf(list),
        o.podNamespaces().get(owner))));
    return new NodeReport(owners, List.copyOf(o.applied().services().values()), serviceReport(o, observed, serviceErrors),
        unhealthy, o.failure());
  }

  /**
   * Builds one service's report. It holds only immutable values of the sync (the desired state as
   * applied, the services read back, health), so a later sync on another thread cannot change what
   * it reports.
   */
  private static Function<DesiredService, ServiceReport> serviceReport(
      SyncOutcome o, Map<ServiceKey, ObservedService> observed, Map<ServiceKey, List<String>> serviceErrors) {
    Map<ServiceKey, ObservedService> seen = Map.copyOf(observed);
    Map<ServiceKey, List<String>> errors = Map.copyOf(serviceErrors);
    Map<MemberKey, Health> health = o.health();
    Map<MemberKey, MemberHealth> details = o.healthDetails();
    return d -> serviceReport(d, seen.get(d.key()), errors.getOrDefault(d.key(), List.of()), health, details);
  }

  /**
   * Failed/skipped operations and conflicts by the service they are on (a destination's go to its
   * service), each service's operations first, then its conflicts, in the report's order.
   */
  private static Map<String, List<String>> problemsByService(SyncOutcome o) {
    Map<String, List<String>> out = new HashMap<>();
    if (o.report() == null) {
      return out;
    }
    for (OperationResult r : o.report().problems()) {
      ObjectRef ref = r.operation().object();
      serviceOf(ref).ifPresent(svc -> out.computeIfAbsent(svc, k -> new ArrayList<>())
          .add(r.operation().phase() + " " + ref + ": " + r.outcome() + ": " + r.error()));
    }
    o.report().conflicts().forEach(c -> serviceOf(c.object())
        .ifPresent(svc -> out.computeIfAbsent(svc, k -> new ArrayList<>()).add(c.object() + ": CONFLICT: " + c.reason())));
    return out;
  }

  /** The service id a service or destination reference is about ("TCP 198.18.0.100:80 -> ..." names its service first). */
  private static Optional<String> serviceOf(ObjectRef ref) {
    if (ref.kind() == ObjectRef.Kind.SERVICE) {
      return Optional.of(ref.id());
    }
    int arrow = ref.kind() == ObjectRef.Kind.DESTINATION ? ref.id().indexOf(ObjectRef.ARROW) : -1;
    return arrow < 0 ? Optional.empty() : Optional.of(ref.id().substring(0, arrow));
  }

  /** What the dump after applying says differs from what was wanted. */
  static List<String> readBack(DesiredService d, ObservedService seen) {
    List<String> out = new ArrayList<>();
    if (seen == null) {
      out.add("service " + d.key() + ": not in the kernel after applying");
      return out;
    }
    Map<DestinationKey, Destination> inKernel = new HashMap<>();
    seen.destinations().forEach(od -> inKernel.put(od.destination().key(), od.destination()));
    for (DesiredDestination dd : d.destinations().values()) {
      Destination got = inKernel.get(dd.destination().key());
      Destination want = dd.kernelDestination();
      if (got == null) {
        if (!dd.draining()) {
          out.add("destination " + d.key() + " -> " + want.key() + ": not in the kernel after applying");
        }
      } else if (got.weight() != want.weight() || got.forwardMethod() != want.forwardMethod()) {
        out.add("destination " + d.key() + " -> " + want.key() + ": read back " + got.forwardMethod() + " weight "
            + got.weight() + ", want " + want.forwardMethod() + " weight " + want.weight());
      }
    }
    return out;
  }

  private static ServiceReport serviceReport(
      DesiredService d, ObservedService seen, List<String> errors, Map<MemberKey, Health> health,
      Map<MemberKey, MemberHealth> details) {
    List<DestinationReport> dests = new ArrayList<>();
    Map<DestinationKey, ObservedDestination> inKernel = new HashMap<>();
    if (seen != null) {
      seen.destinations().forEach(od -> inKernel.put(od.destination().key(), od));
    }
    // wanted destinations first (in spec order), then owned leftovers still draining in the kernel
    for (DestinationKey k : d.destinations().keySet()) {
      MemberKey m = new MemberKey(d.key(), k);
      dests.add(destinationReport(k, inKernel.get(k), health.get(m), details.get(m)));
    }
    inKernel.forEach((k, od) -> {
      if (!d.destinations().containsKey(k)) {
        MemberKey m = new MemberKey(d.key(), k);
        dests.add(destinationReport(k, od, health.get(m), details.get(m)));
      }
    });
    Stats s = seen == null ? null : seen.stats();
    return new ServiceReport(d.owner(), d.key().toString(), errors.isEmpty(),
        errors.isEmpty() ? null : String.join("; ", errors), dests,
        s == null ? null : s.connections(), s == null ? null : s.inPackets(), s == null ? null : s.outPackets(),
        s == null ? null : s.inBytes(), s == null ? null : s.outBytes());
  }

  private static DestinationReport destinationReport(
      DestinationKey k, ObservedDestination od, Health h, MemberHealth detail) {
    String health = h == null ? null : h.name();
    // the details come from the same checker a moment later: report them only when they agree
    boolean same = detail != null && detail.health() == h;
    String since = same ? detail.since().truncatedTo(ChronoUnit.SECONDS).toString() : null;
    String error = same ? detail.lastError() : null;
    if (od == null) {
      return new DestinationReport(k.address().getHostAddress(), k.port(), null, health, null, null, null, null, null,
          null, null, since, error);
    }
    Stats s = od.stats();
    return new DestinationReport(k.address().getHostAddress(), k.port(), od.destination().weight(), health,
        od.activeConnections(), od.inactiveConnections(), s.connections(), s.inPackets(), s.outPackets(),
        s.inBytes(), s.outBytes(), since, error);
  }
}
