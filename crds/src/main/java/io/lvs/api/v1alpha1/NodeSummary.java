package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** How many nodes have read back what they were asked to program. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeSummary(
    @JsonPropertyDescription("Nodes that read back what they were asked to program.") Integer programmed,
    @JsonPropertyDescription("Nodes that have a part to program.") Integer total,
    @JsonPropertyDescription("programmed/total, e.g. 3/3.") String summary,
    @JsonPropertyDescription("Node holding the VIP now.") String activeDirector,
    @JsonPropertyDescription("Nodes that failed, with the kernel's reason.") List<NodeError> errors) {}
