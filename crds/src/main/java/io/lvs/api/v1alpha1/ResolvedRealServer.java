package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;

/** One real server as the operator resolved it for a virtual service port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResolvedRealServer(
    @JsonPropertyDescription("Real server address.") String address,
    @JsonPropertyDescription("Real server port.") Integer port,
    @JsonPropertyDescription("Weight programmed into IPVS.") Integer weight,
    @JsonPropertyDescription("Node the real server runs on, if any.") String node,
    @JsonPropertyDescription("Ready, not draining, and not failing a director's health check.") Boolean ready,
    @JsonPropertyDescription("At weight 0, on its way out.") Boolean draining,
    @JsonPropertyDescription("Healthy or Unhealthy (failing on at least one director); absent without a health check.")
        String health,
    @JsonPropertyDescription("A DR/TUN pod real server: Configured when its node's agent put the VIP and sysctls in"
        + " the pod's own network namespace, else why not (not found, not an L2 neighbour of the director, ...).")
        String podNamespace) {

  /** Not a DR/TUN pod real server. */
  public ResolvedRealServer(String address, Integer port, Integer weight, String node, Boolean ready, Boolean draining,
      String health) {
    this(address, port, weight, node, ready, draining, health, null);
  }
}
