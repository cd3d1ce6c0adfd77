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
        String health) {}
