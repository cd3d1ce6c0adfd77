package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Written only by the node's agent: what it read back from the kernel after applying. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record LvsNodeStateStatus(
    @JsonPropertyDescription("The metadata.generation of this slice that the agent last applied.") Long observedGeneration,
    @JsonPropertyDescription("Ready, Programmed, Degraded for this slice: type, status, reason, message, lastTransitionTime.") List<Condition> conditions,
    @JsonPropertyDescription("When the agent last read the kernel back for this slice (RFC 3339, seconds).") String lastSyncTime,
    @JsonPropertyDescription("Per VirtualService in this slice: whether the node programmed all of its part, and the errors if not.") List<OwnerReport> owners,
    @JsonPropertyDescription("Per IPVS service in this slice: what the kernel holds after applying, as ipvsadm -Ln --stats shows it.") List<ServiceReport> services,
    @JsonPropertyDescription("The node's IPVS timeouts (first slice only): the config applied and what the kernel holds.") TimeoutsReport timeouts) {

  /** A status without a timeouts report. */
  public LvsNodeStateStatus(Long observedGeneration, List<Condition> conditions, String lastSyncTime,
      List<OwnerReport> owners, List<ServiceReport> services) {
    this(observedGeneration, conditions, lastSyncTime, owners, services, null);
  }
}
