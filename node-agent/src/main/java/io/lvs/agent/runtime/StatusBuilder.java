package io.lvs.agent.runtime;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
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
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One sync's outcome as the node object's status. Pure. "Programmed" means read back: an owner is
 * programmed only when every operation for it succeeded, nothing was refused as a conflict, and
 * the IPVS dump after applying holds its services and destinations as wanted. Conditions: Ready
 * (the agent could read and program the kernel), Programmed (every owner programmed), Degraded
 * (some owner failed or a probed member is down); lastTransitionTime is kept while a condition's
 * status stays the same.
 */
public final class StatusBuilder {
  public static final String READY = "Ready";
  public static final String PROGRAMMED = "Programmed";
  public static final String DEGRADED = "Degraded";

  public LvsNodeStateStatus build(SyncOutcome o, List<Condition> previous, Instant now) {
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
    List<ServiceReport> services = new ArrayList<>();
    for (DesiredService d : o.applied().services().values()) {
      List<String> own = serviceErrors(d, o);
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
      services.add(serviceReport(d, observed.get(d.key()), all, o.health()));
    }
    List<OwnerReport> owners = new ArrayList<>();
    errors.forEach((owner, list) -> owners.add(new OwnerReport(owner, list.isEmpty(), list.isEmpty() ? null : List.copyOf(list))));
    List<Condition> conditions = conditions(o, owners, previous, now);
    return new LvsNodeStateStatus(o.generation(), conditions, now.truncatedTo(ChronoUnit.SECONDS).toString(), owners, services);
  }

  /** Failed/skipped operations and conflicts on this service or its destinations. */
  private static List<String> serviceErrors(DesiredService d, SyncOutcome o) {
    List<String> out = new ArrayList<>();
    if (o.report() == null) {
      return out;
    }
    String svc = ObjectRef.service(d.key()).id();
    for (OperationResult r : o.report().problems()) {
      if (concerns(r.operation().object(), svc)) {
        out.add(r.operation().phase() + " " + r.operation().object() + ": " + r.outcome() + ": " + r.error());
      }
    }
    o.report().conflicts().forEach(c -> {
      if (concerns(c.object(), svc)) {
        out.add(c.object() + ": CONFLICT: " + c.reason());
      }
    });
    return out;
  }

  private static boolean concerns(ObjectRef ref, String serviceId) {
    return (ref.kind() == ObjectRef.Kind.SERVICE && ref.id().equals(serviceId))
        || (ref.kind() == ObjectRef.Kind.DESTINATION && ref.id().startsWith(serviceId + " -> "));
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
      DesiredService d, ObservedService seen, List<String> errors, Map<MemberKey, Health> health) {
    List<DestinationReport> dests = new ArrayList<>();
    Map<DestinationKey, ObservedDestination> inKernel = new HashMap<>();
    if (seen != null) {
      seen.destinations().forEach(od -> inKernel.put(od.destination().key(), od));
    }
    // wanted destinations first (in spec order), then owned leftovers still draining in the kernel
    TreeSet<String> listed = new TreeSet<>();
    for (DestinationKey k : d.destinations().keySet()) {
      dests.add(destinationReport(k, inKernel.get(k), health.get(new MemberKey(d.key(), k))));
      listed.add(k.toString());
    }
    inKernel.forEach((k, od) -> {
      if (!listed.contains(k.toString())) {
        dests.add(destinationReport(k, od, health.get(new MemberKey(d.key(), k))));
      }
    });
    Stats s = seen == null ? null : seen.stats();
    return new ServiceReport(d.owner(), d.key().toString(), errors.isEmpty(),
        errors.isEmpty() ? null : String.join("; ", errors), dests,
        s == null ? null : s.connections(), s == null ? null : s.inPackets(), s == null ? null : s.outPackets(),
        s == null ? null : s.inBytes(), s == null ? null : s.outBytes());
  }

  private static DestinationReport destinationReport(DestinationKey k, ObservedDestination od, Health h) {
    String health = h == null ? null : h.name();
    if (od == null) {
      return new DestinationReport(k.address().getHostAddress(), k.port(), null, health, null, null, null, null, null, null, null);
    }
    Stats s = od.stats() == null ? Stats.ZERO : od.stats();
    return new DestinationReport(k.address().getHostAddress(), k.port(), od.destination().weight(), health,
        od.activeConnections(), od.inactiveConnections(), s.connections(), s.inPackets(), s.outPackets(),
        s.inBytes(), s.outBytes());
  }

  private static List<Condition> conditions(SyncOutcome o, List<OwnerReport> owners, List<Condition> previous, Instant now) {
    long failed = owners.stream().filter(r -> !r.programmed()).count();
    long unhealthy = o.health().values().stream().filter(h -> h == Health.Unhealthy).count();
    String firstError = owners.stream().filter(r -> !r.programmed()).map(r -> r.owner() + ": " + r.errors().get(0))
        .findFirst().orElse(null);
    List<Condition> out = new ArrayList<>();
    if (o.failure() != null) {
      out.add(condition(READY, "False", "SyncFailed", o.failure(), o, previous, now));
    } else {
      out.add(condition(READY, "True", "Synced", "kernel read back after applying generation " + o.generation(), o, previous, now));
    }
    String summary = (owners.size() - failed) + "/" + owners.size() + " owners programmed";
    if (failed == 0 && o.failure() == null) {
      out.add(condition(PROGRAMMED, "True", "AllProgrammed", summary, o, previous, now));
    } else {
      out.add(condition(PROGRAMMED, "False", o.failure() != null ? "SyncFailed" : "OperationsFailed",
          summary + (firstError == null ? "" : "; " + firstError), o, previous, now));
    }
    if (failed > 0 || o.failure() != null) {
      out.add(condition(DEGRADED, "True", "OperationsFailed", summary + (firstError == null ? "" : "; " + firstError), o, previous, now));
    } else if (unhealthy > 0) {
      out.add(condition(DEGRADED, "True", "MembersUnhealthy", unhealthy + " real server(s) failing health checks, at weight 0", o, previous, now));
    } else {
      out.add(condition(DEGRADED, "False", "AsExpected", "all owners programmed, all probed real servers healthy", o, previous, now));
    }
    return out;
  }

  private static Condition condition(
      String type, String status, String reason, String message, SyncOutcome o, List<Condition> previous, Instant now) {
    String since = now.truncatedTo(ChronoUnit.SECONDS).toString();
    if (previous != null) {
      for (Condition p : previous) {
        if (type.equals(p.getType()) && Objects.equals(status, p.getStatus()) && p.getLastTransitionTime() != null) {
          since = p.getLastTransitionTime();
        }
      }
    }
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
        .withObservedGeneration(o.generation()).withLastTransitionTime(since).build();
  }
}
