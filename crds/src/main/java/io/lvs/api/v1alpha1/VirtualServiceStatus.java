package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * Observed state. Conditions: Ready, Programmed, Degraded, Conflict (Kubernetes API conventions:
 * type, status, reason, message, observedGeneration, lastTransitionTime).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VirtualServiceStatus(
    Long observedGeneration,
    List<Condition> conditions,
    String ports,
    String readyRealServers,
    List<ResolvedRealServer> realServers,
    NodeSummary nodes) {}
