package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The {@code ipvsadm -a} lines: where members come from, their weights, checks and drain. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.serviceRef) || has(self.podSelector) || has(self.nodeSelector) || has(self.static)",
    message = "at least one member source is required: serviceRef, podSelector, nodeSelector or static",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "!has(self.static) || self.static.all(m, self.static.exists_one(n, n.address == m.address && n.port == m.port))",
    message = "each address and port may appear only once",
    fieldPath = ".static",
    reason = "FieldValueDuplicate")
public record RealServerPoolSpec(
    @JsonPropertyDescription("Members from a Service's EndpointSlices.") ServiceMembers serviceRef,
    @JsonPropertyDescription("Members from pods with these labels.") PodMembers podSelector,
    @JsonPropertyDescription("Nodes as members.") NodeMembers nodeSelector,
    @JsonProperty("static") @JsonPropertyDescription("Fixed members outside the cluster.") @Size(max = 256)
        List<StaticMember> staticMembers,
    @JsonPropertyDescription("Weight of members without one. Default 1.") @Min(0) @Max(65535)
        Integer defaultWeight,
    @JsonPropertyDescription("Per-member weights by address.") @Size(max = 256) List<WeightOverride> weights,
    @JsonPropertyDescription("Per-destination connection thresholds.") ConnectionLimits connectionLimits,
    @JsonPropertyDescription("Health checks run by the directors.") HealthCheck healthCheck,
    @JsonPropertyDescription("Graceful removal of leaving members.") Drain drain) {}
