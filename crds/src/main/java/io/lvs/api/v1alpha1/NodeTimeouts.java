package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The IPVS timeouts a node must hold (in its first slice only), from the LvsNodeConfig named
 * {@code config}. A field left null is not the agent's to set: the kernel keeps its value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeTimeouts(
    @JsonPropertyDescription("The LvsNodeConfig these come from.") String config,
    @JsonPropertyDescription("ipvsadm --set tcp.") Integer tcpSeconds,
    @JsonPropertyDescription("ipvsadm --set tcpfin.") Integer tcpFinSeconds,
    @JsonPropertyDescription("ipvsadm --set udp.") Integer udpSeconds) {}
