package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Traffic that carries a fwmark service's mark: what {@code iptables -t mangle -A PREROUTING -d
 * ADDRESS -p PROTO --dport PORTS -j MARK --set-mark N} said in the seeds. The agent installs it as
 * an nftables rule in its own table on every director.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FwmarkMatch(
    @JsonPropertyDescription(
            "Destination address (a VIP) or CIDR. DirectRouting and Tunnel need single addresses"
                + " (/32, /128 or none): each goes on the real servers' lo or tunl0.")
        @Required
        @Size(max = 49)
        @Pattern(Patterns.IP_OR_CIDR)
        String address,
    @JsonPropertyDescription("TCP, UDP or SCTP. Default TCP.") Protocol protocol,
    @JsonPropertyDescription("Destination ports or ranges. Absent: every port of the protocol.")
        @Size(min = 1, max = 32)
        List<PortRange> ports) {}
