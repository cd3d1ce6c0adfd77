package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A real server outside the cluster (ipvsadm -a -r ADDRESS:PORT -w WEIGHT). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StaticMember(
    @JsonPropertyDescription("IPv4 or IPv6 literal.") @Required @Size(max = 45) @Pattern(Patterns.IP) String address,
    @JsonPropertyDescription("Port on the real server.") @Required @Min(1) @Max(65535) Integer port,
    @JsonPropertyDescription("Weight; default: the pool's defaultWeight.") @Min(0) @Max(65535) Integer weight) {}
