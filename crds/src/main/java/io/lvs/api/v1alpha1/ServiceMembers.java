package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Members taken from a Service's EndpointSlices (discovery.k8s.io/v1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.port) && has(self.portName))",
    message = "set port or portName, not both",
    reason = "FieldValueInvalid")
public record ServiceMembers(
    @JsonPropertyDescription("Service name in the pool's namespace.") @Required @Pattern(Patterns.DNS_LABEL)
        String name,
    @JsonPropertyDescription("Endpoint port number to use. Default: the slice's only port.")
        @Min(1)
        @Max(65535)
        Integer port,
    @JsonPropertyDescription("Endpoint port name to use (the Service port's name).")
        @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
        String portName) {}
