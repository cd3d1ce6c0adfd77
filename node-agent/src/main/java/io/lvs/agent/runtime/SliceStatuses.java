package io.lvs.agent.runtime;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.lvs.agent.dataplane.DesiredService;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.OwnerReport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Splits the node's report into one status per slice. Pure. A slice's status speaks only about the
 * owners with entries in that slice and reports that slice's generation: the operator tallies each
 * (slice, owner) against the slice's own generation, so an error of an owner in another slice must
 * not make this one look unprogrammed. A whole-sync failure (netlink, dump) concerns every slice.
 * Conditions: Ready (the agent could read and program the kernel), Programmed (every owner of the
 * slice programmed), Degraded (one of them failed or one of their probed members is down);
 * lastTransitionTime is kept while a condition's status stays the same.
 */
public final class SliceStatuses {
  public static final String READY = "Ready";
  public static final String PROGRAMMED = "Programmed";
  public static final String DEGRADED = "Degraded";

  private SliceStatuses() {}

  /**
   * Slice name -> its status, in slice-name order, each slice's service reports built when asked;
   * {@code previous} are each slice's last conditions.
   */
  public static Map<String, SliceStatus> split(
      NodeReport node, SliceUnion union, Map<String, List<Condition>> previous, Instant now) {
    // each report (and service) goes to the slices of its owner in one pass (not one pass over the node's per slice)
    Map<String, List<String>> slicesOf = new HashMap<>();
    union.owners().forEach((slice, owners) -> owners.forEach(o -> slicesOf.computeIfAbsent(o, k -> new ArrayList<>()).add(slice)));
    Map<String, List<OwnerReport>> ownerReports = bySlice(node.owners(), OwnerReport::owner, slicesOf);
    Map<String, List<DesiredService>> services = bySlice(node.services(), DesiredService::owner, slicesOf);
    Map<String, SliceStatus> out = new LinkedHashMap<>();
    for (NodeSlice slice : union.slices()) {
      Set<String> owners = union.owners().getOrDefault(slice.name(), Set.of());
      List<DesiredService> own = List.copyOf(services.getOrDefault(slice.name(), List.of()));
      out.put(slice.name(), new SliceStatus(head(node, slice, owners, ownerReports.getOrDefault(slice.name(), List.of()),
          previous.get(slice.name()), now), () -> own.stream().map(node.serviceReport()).toList()));
    }
    return out;
  }

  /** Each item under every slice of its owner, in the items' order. */
  private static <T> Map<String, List<T>> bySlice(List<T> items, Function<T, String> ownerOf,
      Map<String, List<String>> slicesOf) {
    Map<String, List<T>> out = new HashMap<>();
    items.forEach(item -> slicesOf.getOrDefault(ownerOf.apply(item), List.of())
        .forEach(slice -> out.computeIfAbsent(slice, k -> new ArrayList<>()).add(item)));
    return out;
  }

  /** {@code ownerReports}: the node's, of {@code owners}, in the node's order. */
  private static LvsNodeStateStatus head(NodeReport node, NodeSlice slice, Set<String> owners,
      List<OwnerReport> ownerReports, List<Condition> previous, Instant now) {
    int unhealthy = owners.stream().mapToInt(o -> node.unhealthyByOwner().getOrDefault(o, 0)).sum();
    List<Condition> conditions = conditions(slice.generation(), node.failure(), ownerReports, unhealthy, previous, now);
    return new LvsNodeStateStatus(slice.generation(), conditions, now.truncatedTo(ChronoUnit.SECONDS).toString(),
        List.copyOf(ownerReports), null);
  }

  private static List<Condition> conditions(long generation, String failure, List<OwnerReport> owners, int unhealthy,
      List<Condition> previous, Instant now) {
    long failed = owners.stream().filter(r -> !r.programmed()).count();
    String firstError = owners.stream().filter(r -> !r.programmed()).map(r -> r.owner() + ": " + r.errors().get(0))
        .findFirst().orElse(null);
    Conditions c = new Conditions(generation, previous, now);
    List<Condition> out = new ArrayList<>();
    if (failure != null) {
      out.add(c.condition(READY, "False", "SyncFailed", failure));
    } else {
      out.add(c.condition(READY, "True", "Synced", "kernel read back after applying generation " + generation));
    }
    String summary = (owners.size() - failed) + "/" + owners.size() + " owners programmed";
    String detail = summary + (firstError == null ? "" : "; " + firstError);
    if (failed == 0 && failure == null) {
      out.add(c.condition(PROGRAMMED, "True", "AllProgrammed", summary));
    } else {
      out.add(c.condition(PROGRAMMED, "False", failure != null ? "SyncFailed" : "OperationsFailed", detail));
    }
    if (failed > 0 || failure != null) {
      out.add(c.condition(DEGRADED, "True", "OperationsFailed", detail));
    } else if (unhealthy > 0) {
      out.add(c.condition(DEGRADED, "True", "MembersUnhealthy", unhealthy + " real server(s) failing health checks, at weight 0"));
    } else {
      out.add(c.condition(DEGRADED, "False", "AsExpected", "all owners programmed, all probed real servers healthy"));
    }
    return out;
  }

  /** Builds conditions of one slice, keeping a transition time while the status holds. */
  private record Conditions(long generation, List<Condition> previous, Instant now) {
    Condition condition(String type, String status, String reason, String message) {
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
          .withObservedGeneration(generation).withLastTransitionTime(since).build();
    }
  }
}
