package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a pool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RealServerPoolStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.") Long observedGeneration,
    @JsonPropertyDescription("Ready (members resolved) and Degraded, with reason and message.") List<Condition> conditions,
    @JsonPropertyDescription("Ready members over all members, e.g. 2/3.") String readyMembers,
    @JsonPropertyDescription("Each resolved member with its source and health.") List<MemberStatus> members) {}
