package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * ipvsadm --set tcp tcpfin udp, in whole seconds. The upper bound is the kernel's (INT_MAX / HZ
 * for HZ up to 1000: larger values are refused with EINVAL); 0 is not allowed because the
 * kernel reads 0 as "leave unchanged".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.tcpSeconds) || has(self.tcpFinSeconds) || has(self.udpSeconds)",
    message = "at least one of tcpSeconds, tcpFinSeconds, udpSeconds is required",
    reason = "FieldValueRequired")
public record IpvsTimeoutsSpec(
    @JsonPropertyDescription("Idle timeout of an established TCP connection (kernel default 900).") @Min(1) @Max(2147483)
        Integer tcpSeconds,
    @JsonPropertyDescription("Timeout of a TCP connection after FIN (kernel default 120).") @Min(1) @Max(2147483)
        Integer tcpFinSeconds,
    @JsonPropertyDescription("Timeout of a UDP entry (kernel default 300).") @Min(1) @Max(2147483)
        Integer udpSeconds) {}
