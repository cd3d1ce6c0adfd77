package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One selected node in an LvsNodeConfig's status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeConfigReport(
    @JsonPropertyDescription("The node.") String node,
    @JsonPropertyDescription("Applied, Pending (not yet reported by its agent), Failed (the agent's error) or Conflict.") String state,
    @JsonPropertyDescription("Why, when not Applied.") String message) {}
