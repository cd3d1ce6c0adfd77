package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Per-destination connection thresholds (ipvsadm -x / -y). 0 means no limit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.upper) || !has(self.lower) || self.upper == 0 || self.lower <= self.upper",
    message = "must not exceed upper (unless upper is 0, no limit)",
    fieldPath = ".lower",
    reason = "FieldValueInvalid")
public record ConnectionLimits(
    @JsonPropertyDescription("Stop sending new connections above this many.") @Min(0) @Max(2147483647L)
        Long upper,
    @JsonPropertyDescription("Resume below this many.") @Min(0) @Max(2147483647L) Long lower) {}
