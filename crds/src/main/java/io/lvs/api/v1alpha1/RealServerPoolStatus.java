package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a pool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RealServerPoolStatus(
    Long observedGeneration,
    List<Condition> conditions,
    String readyMembers,
    List<MemberStatus> members) {}
