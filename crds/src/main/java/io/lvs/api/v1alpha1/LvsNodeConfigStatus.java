package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Written by the operator: where the configuration applies and whether the agents applied it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LvsNodeConfigStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.") Long observedGeneration,
    @JsonPropertyDescription("Applied (every selected node's agent set the timeouts), Conflict (a node is selected by another configuration too).")
        List<Condition> conditions,
    @JsonPropertyDescription("Nodes the selector picks (conflicting ones included).") Integer matchedNodes,
    @JsonPropertyDescription("Nodes whose agent reports these timeouts set.") Integer appliedNodes,
    @JsonPropertyDescription("Per selected node: Applied, Pending, Failed or Conflict, with a message.") List<NodeConfigReport> nodes) {}
