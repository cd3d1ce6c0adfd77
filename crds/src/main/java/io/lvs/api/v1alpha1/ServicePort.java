package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One {@code ipvsadm -A -t|-u|--sctp-service VIP:PORT} line. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServicePort(
    @JsonPropertyDescription("Optional name, unique within the VirtualService.")
        @Pattern("^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$")
        String name,
    @JsonPropertyDescription("Port on the virtual IP that clients connect to.") @Required @Min(1) @Max(65535)
        Integer port,
    @JsonPropertyDescription("TCP, UDP or SCTP. Default TCP.") Protocol protocol,
    @JsonPropertyDescription(
            "Port on the real servers. Only NAT and FullNAT can rewrite it; for DirectRouting and"
                + " Tunnel it must equal port. Default: port.")
        @Min(1)
        @Max(65535)
        Integer targetPort) {}
