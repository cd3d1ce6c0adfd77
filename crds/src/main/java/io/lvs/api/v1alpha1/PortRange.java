package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A destination port or an inclusive range of them, as NetworkPolicy's port and endPort. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.endPort) || self.endPort >= self.port",
    message = "endPort must be at least port",
    fieldPath = ".endPort",
    reason = "FieldValueInvalid")
public record PortRange(
    @JsonPropertyDescription("Destination port, or the first of the range.") @Required @Min(1) @Max(65535)
        Integer port,
    @JsonPropertyDescription("Last port of the range (inclusive). Absent: port alone.") @Min(1) @Max(65535)
        Integer endPort) {}
