package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The weight of one member, whatever source it came from (matched by address). */
public record WeightOverride(
    @JsonPropertyDescription("Member address.") @Required @Size(max = 45) @Pattern(Patterns.IP) String address,
    @JsonPropertyDescription("Weight (0 keeps it configured but sends no new connections).")
        @Required
        @Min(0)
        @Max(65535)
        Integer weight) {}
