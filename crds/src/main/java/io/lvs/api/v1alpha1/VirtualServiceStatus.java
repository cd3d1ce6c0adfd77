package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * Observed state. Conditions: Ready, Programmed, Degraded, Conflict (Kubernetes API conventions:
 * type, status, reason, message, observedGeneration, lastTransitionTime).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VirtualServiceStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.") Long observedGeneration,
    @JsonPropertyDescription("Ready, Programmed, Degraded, Conflict: type, status, reason, message, lastTransitionTime.") List<Condition> conditions,
    @JsonPropertyDescription("The ports as kubectl shows them, e.g. 80/TCP,443/TCP.") String ports,
    @JsonPropertyDescription("Ready real servers over all resolved, e.g. 2/3.") String readyRealServers,
    @JsonPropertyDescription("The real servers the operator resolved from the pool.") List<ResolvedRealServer> realServers,
    @JsonPropertyDescription("How many nodes have programmed their part.") NodeSummary nodes,
    @JsonPropertyDescription("The director holding the VIP now: the operator's choice with one director, with two or more the one their Lease names.")
        String activeDirector,
    @JsonPropertyDescription("With two or more directors: the last time the VIP moved between them.") LastFailover lastFailover) {

  /** A status without HA fields: callers written before they existed. */
  public VirtualServiceStatus(Long observedGeneration, List<Condition> conditions, String ports, String readyRealServers,
      List<ResolvedRealServer> realServers, NodeSummary nodes) {
    this(observedGeneration, conditions, ports, readyRealServers, realServers, nodes, null, null);
  }

  /** This status with these HA fields (null: none). */
  public VirtualServiceStatus withHa(String active, LastFailover last) {
    return new VirtualServiceStatus(observedGeneration, conditions, ports, readyRealServers, realServers, nodes, active, last);
  }
}
