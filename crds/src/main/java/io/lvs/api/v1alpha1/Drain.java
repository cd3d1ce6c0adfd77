package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Graceful removal: a leaving member keeps its connections at weight 0 before it is deleted. */
public record Drain(
    @JsonPropertyDescription("Seconds at weight 0 before removal. Default 30; 0 removes at once.")
        @Min(0)
        @Max(86400)
        Integer gracePeriodSeconds) {}
