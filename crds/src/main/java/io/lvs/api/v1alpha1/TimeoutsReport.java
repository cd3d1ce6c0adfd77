package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the agent did with its node's IPVS timeouts and what the kernel holds after it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TimeoutsReport(
    @JsonPropertyDescription("The LvsNodeConfig the agent applied; absent when none applies (the kernel's earlier values are restored).") String config,
    @JsonPropertyDescription("True when the kernel holds every timeout the config sets.") Boolean applied,
    @JsonPropertyDescription("The kernel's TCP timeout after applying (ipvsadm -L --timeout).") Integer tcpSeconds,
    @JsonPropertyDescription("The kernel's TCP FIN timeout after applying.") Integer tcpFinSeconds,
    @JsonPropertyDescription("The kernel's UDP timeout after applying.") Integer udpSeconds,
    @JsonPropertyDescription("Why not applied or not restored (operation and errno).") String error) {}
