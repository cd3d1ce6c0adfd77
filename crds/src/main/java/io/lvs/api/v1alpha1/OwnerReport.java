package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Per VirtualService: did this node program everything it was asked for that owner. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record OwnerReport(
    @JsonPropertyDescription("The VirtualService, as namespace/name.") String owner,
    @JsonPropertyDescription("True when every service, destination, address and sysctl of this owner was applied and read back as wanted.") Boolean programmed,
    @JsonPropertyDescription("Why not programmed: failed operations, conflicts with objects the agent did not create, read-back differences.") List<String> errors,
    @JsonPropertyDescription("Pod real servers of this owner on this node: whether the VIP and sysctls are in the pod's own network namespace, and why not.") List<PodNamespaceReport> podNamespaces) {

  /** Without pod real servers. */
  public OwnerReport(String owner, Boolean programmed, List<String> errors) {
    this(owner, programmed, errors, null);
  }
}
