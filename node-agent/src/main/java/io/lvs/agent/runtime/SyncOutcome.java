package io.lvs.agent.runtime;

import io.lvs.agent.apply.ApplyReport;
import io.lvs.agent.dataplane.DesiredState;
import io.lvs.agent.model.ObservedService;
import io.lvs.agent.runtime.health.Health;
import io.lvs.agent.runtime.health.MemberHealth;
import io.lvs.agent.runtime.health.MemberKey;
import io.lvs.api.v1alpha1.PodNamespaceReport;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one sync learned, from which status is built: the slices it applied (their union,
 * with each slice's generation and owners), the translation, the desired state as applied (health
 * overlay included), the applier's report (null when the sync failed before applying), a
 * whole-sync failure (null when it got through), the IPVS services read back afterwards, the
 * health of probed members, nftables (SNAT and marking) problems by owner, the probed members' health details,
 * and per owner the pod real servers' namespaces (configured or why not).
 */
public record SyncOutcome(
    SliceUnion slices,
    Translation translation,
    DesiredState applied,
    ApplyReport report,
    String failure,
    List<ObservedService> observed,
    Map<MemberKey, Health> health,
    Map<String, List<String>> snatErrors,
    Map<MemberKey, MemberHealth> healthDetails,
    Map<String, List<PodNamespaceReport>> podNamespaces) {
  public SyncOutcome {
    podNamespaces = Map.copyOf(podNamespaces);
    Objects.requireNonNull(slices, "slices");
    observed = List.copyOf(observed);
    health = Map.copyOf(health);
    snatErrors = Map.copyOf(snatErrors);
    healthDetails = Map.copyOf(healthDetails);
  }

  /**
   * This outcome with its report cut to the problems ({@link ApplyReport#problemsOnly}): what the
   * loop keeps between syncs, for the /ipvs views and readiness, which read the rest.
   */
  public SyncOutcome withoutSuccesses() {
    if (report == null) {
      return this;
    }
    ApplyReport slim = report.problemsOnly();
    return slim == report ? this : new SyncOutcome(slices, translation, applied, slim, failure, observed, health,
        snatErrors, healthDetails, podNamespaces);
  }

  /** Without health details (since when, last error): status then reports the verdicts only. */
  public SyncOutcome(SliceUnion slices, Translation translation, DesiredState applied, ApplyReport report,
      String failure, List<ObservedService> observed, Map<MemberKey, Health> health,
      Map<String, List<String>> snatErrors) {
    this(slices, translation, applied, report, failure, observed, health, snatErrors, Map.of());
  }

  /** Without pod real servers. */
  public SyncOutcome(SliceUnion slices, Translation translation, DesiredState applied, ApplyReport report,
      String failure, List<ObservedService> observed, Map<MemberKey, Health> health,
      Map<String, List<String>> snatErrors, Map<MemberKey, MemberHealth> healthDetails) {
    this(slices, translation, applied, report, failure, observed, health, snatErrors, healthDetails, Map.of());
  }
}
