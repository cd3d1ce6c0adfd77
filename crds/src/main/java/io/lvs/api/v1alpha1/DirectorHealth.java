package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One director's view of a member: what its health checks found, since when, and the last error. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DirectorHealth(
    @JsonPropertyDescription("The director node.") String node,
    @JsonPropertyDescription("Healthy or Unhealthy (at weight 0 on this director).") String health,
    @JsonPropertyDescription("When this director last changed its verdict (RFC 3339): failing since, or healthy since.")
        String since,
    @JsonPropertyDescription("The most recent failed probe's error on this director.") String lastError) {}
