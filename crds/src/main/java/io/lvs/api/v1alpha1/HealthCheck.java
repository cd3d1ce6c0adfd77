package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Probes run by each director against the real servers it directs. A member that fails
 * fallThreshold probes in a row goes to weight 0 until riseThreshold probes succeed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.type == 'HTTP' || !has(self.path)",
    message = "only HTTP health checks have a path",
    fieldPath = ".path",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "self.type == 'HTTP' || !has(self.expectedStatus)",
    message = "only HTTP health checks have an expectedStatus",
    fieldPath = ".expectedStatus",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.timeoutSeconds) || !has(self.intervalSeconds) || self.timeoutSeconds <= self.intervalSeconds",
    message = "must not exceed intervalSeconds",
    fieldPath = ".timeoutSeconds",
    reason = "FieldValueInvalid")
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record HealthCheck(
    @JsonPropertyDescription("TCP (connect) or HTTP (GET, expect expectedStatus).") @Required
        HealthCheckType type,
    @JsonPropertyDescription("Port to probe. Default: the member's port.") @Min(1) @Max(65535) Integer port,
    @JsonPropertyDescription("HTTP path. Default /.") @Pattern("^/[^\\s]*$") String path,
    @JsonPropertyDescription("HTTP status that counts as healthy. Default 200.") @Min(100) @Max(599)
        Integer expectedStatus,
    @JsonPropertyDescription("Seconds between probes. Default 5.") @Min(1) @Max(3600) Integer intervalSeconds,
    @JsonPropertyDescription("Seconds before a probe counts as failed. Default 2.") @Min(1) @Max(3600)
        Integer timeoutSeconds,
    @JsonPropertyDescription("Successes in a row to return to service. Default 2.") @Min(1) @Max(100)
        Integer riseThreshold,
    @JsonPropertyDescription("Failures in a row to take out of service. Default 3.") @Min(1) @Max(100)
        Integer fallThreshold) {}
