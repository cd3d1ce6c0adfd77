package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A resolved member: where it came from, its weight, and what the directors think of it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemberStatus(
    @JsonPropertyDescription("Member address.") String address,
    @JsonPropertyDescription("Member port.") Integer port,
    @JsonPropertyDescription("Effective weight.") Integer weight,
    @JsonPropertyDescription("Where the member came from: serviceRef, podSelector, nodeSelector or static.") String source,
    @JsonPropertyDescription("Node the member runs on, if any.") String node,
    @JsonPropertyDescription("Ready (EndpointSlice condition, Pod or Node Ready).") Boolean ready,
    @JsonPropertyDescription(
            "Result of the directors' health checks: Unhealthy when any director finds it failing, Healthy when"
                + " every director reporting on it finds it healthy; absent without a health check or report.")
        String health,
    @JsonPropertyDescription("At weight 0, on its way out.") Boolean draining,
    @JsonPropertyDescription("Health as each director's checks see it (pools with a healthCheck).")
        List<DirectorHealth> directors) {}
