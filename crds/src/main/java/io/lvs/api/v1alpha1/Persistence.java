package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Client affinity: ipvsadm -p TIMEOUT -M NETMASK. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Persistence(
    @JsonPropertyDescription("Seconds a client stays on the same real server after its last connection.")
        @Required
        @Min(1)
        @Max(2678400)
        Integer timeoutSeconds,
    @JsonPropertyDescription(
            "Prefix length grouping clients that share a real server (ipvsadm -M): 0-32 for IPv4, 1-128"
                + " for IPv6 (the kernel refuses 0). Default: 32 / 128 (each client on its own).")
        @Min(0)
        @Max(128)
        Integer netmaskPrefixLength) {}
