package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** How many nodes have read back what they were asked to program. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeSummary(
    Integer programmed, Integer total, String summary, String activeDirector, List<NodeError> errors) {}
