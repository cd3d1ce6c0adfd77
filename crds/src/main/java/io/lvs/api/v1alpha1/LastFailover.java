package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last time the VIP moved between directors, as its new holder recorded it on the Lease. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LastFailover(
    @JsonPropertyDescription("When the new holder took the VIP (RFC 3339).") String time,
    @JsonPropertyDescription("The director that held it before (absent: nobody held it).") String from,
    @JsonPropertyDescription("The director that holds it since.") String to,
    @JsonPropertyDescription("Why: HolderLost, Fenced, Preempted, Released (or what the agent wrote).") String reason) {}
